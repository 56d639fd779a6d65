import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { tauriWindow } from "./lib/appWindow";
import { startingEarly, tauriBackend } from "./lib/backend";
import { loadEngine } from "./lib/engineModule";

const target = document.getElementById("app");
if (!target) throw new Error("missing #app");

export default mount(App, {
  target,
  props: { backend: startingEarly(tauriBackend), appWindow: tauriWindow, loadEngine },
});
