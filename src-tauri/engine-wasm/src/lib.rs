//! The engine compiled to WebAssembly for the app's web view. The web view renders each keystroke
//! with it synchronously, so the preview is patched in the same frame that shows the typed
//! character; the app renders the same answers natively as well, and the UI shows the app's
//! answer wherever the two differ (they never should: both call
//! [`notice_engine::check::render_preview`] on a template built from the same texts).
//!
//! The interface is a few numbers and two byte buffers, so no generated glue is needed: the
//! caller asks for an input buffer with [`input`], writes UTF-8 JSON into the module's memory
//! there, calls [`open`] or [`render`], and reads [`output_len`] bytes of JSON at [`output`].

use std::cell::RefCell;

use notice_engine::TenantValues;
use notice_engine::check::standalone::{PreviewSource, StandalonePreview};

#[derive(Default)]
struct Engine {
    input: Vec<u8>,
    output: Vec<u8>,
    preview: Option<StandalonePreview>,
}

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::default();
}

/// What `open` and `render` return.
const OK: u32 = 0;
/// The output holds a message instead of a result.
const FAILED: u32 = 1;

/// Makes the input buffer `len` bytes long and returns where it starts in memory.
#[allow(unsafe_code)] // names the export; no unsafe code runs
#[unsafe(no_mangle)]
pub extern "C" fn input(len: usize) -> *mut u8 {
    ENGINE.with_borrow_mut(|e| {
        e.input.clear();
        e.input.resize(len, 0);
        e.input.as_mut_ptr()
    })
}

/// Where the last result starts in memory.
#[allow(unsafe_code)] // names the export; no unsafe code runs
#[unsafe(no_mangle)]
pub extern "C" fn output() -> *const u8 {
    ENGINE.with_borrow(|e| e.output.as_ptr())
}

/// How many bytes the last result has.
#[allow(unsafe_code)] // names the export; no unsafe code runs
#[unsafe(no_mangle)]
pub extern "C" fn output_len() -> usize {
    ENGINE.with_borrow(|e| e.output.len())
}

/// Builds the template from the [`PreviewSource`] JSON in the input buffer.
#[allow(unsafe_code)] // names the export; no unsafe code runs
#[unsafe(no_mangle)]
pub extern "C" fn open() -> u32 {
    ENGINE.with_borrow_mut(
        |e| match serde_json::from_slice::<PreviewSource>(&e.input) {
            Ok(source) => {
                e.preview = Some(source.build());
                e.output.clear();
                OK
            }
            Err(err) => {
                e.preview = None;
                e.output = format!("not a preview source: {err}").into_bytes();
                FAILED
            }
        },
    )
}

/// Renders the tenant values JSON in the input buffer; the output is the `RenderedNotice` JSON.
#[allow(unsafe_code)] // names the export; no unsafe code runs
#[unsafe(no_mangle)]
pub extern "C" fn render() -> u32 {
    ENGINE.with_borrow_mut(|e| {
        let result = match (&e.preview, serde_json::from_slice::<TenantValues>(&e.input)) {
            (None, _) => Err("no template is open".to_owned()),
            (Some(_), Err(err)) => Err(format!("not tenant values: {err}")),
            (Some(p), Ok(values)) => {
                serde_json::to_vec(&p.render(&values)).map_err(|err| err.to_string())
            }
        };
        match result {
            Ok(json) => {
                e.output = json;
                OK
            }
            Err(message) => {
                e.output = message.into_bytes();
                FAILED
            }
        }
    })
}

/// The `getrandom` backend for a target without one: the preview never draws random numbers (only
/// making reviewer keys does, in the app), so asking is an error rather than a guess.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#[allow(unsafe_code)] // the name `getrandom` looks up; no unsafe code runs
#[unsafe(no_mangle)]
unsafe extern "Rust" fn __getrandom_v03_custom(
    _dest: *mut u8,
    _len: usize,
) -> Result<(), getrandom::Error> {
    Err(getrandom::Error::UNSUPPORTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(f: extern "C" fn() -> u32, json: &str) -> (u32, String) {
        let bytes = json.as_bytes();
        input(bytes.len());
        ENGINE.with_borrow_mut(|e| e.input.copy_from_slice(bytes));
        let status = f();
        let out = ENGINE.with_borrow(|e| String::from_utf8(e.output.clone()).unwrap());
        assert_eq!(out.len(), output_len());
        (status, out)
    }

    #[test]
    fn opens_a_template_and_renders_values_as_json() {
        let source = serde_json::json!({
            "path": "n.md",
            "source": "# Hello {{ name }}\n",
            "sibling_keys": [],
        });
        assert_eq!(call(render, "{}").0, FAILED, "nothing open yet");
        assert_eq!(call(open, &source.to_string()), (OK, String::new()));
        let (status, out) = call(render, r#"{"name": "<Acme>"}"#);
        assert_eq!(status, OK);
        let r: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(
            r["blocks"][0].as_str().unwrap().contains("&lt;Acme&gt;"),
            "{out}"
        );
    }

    #[test]
    fn bad_input_is_a_message_not_a_trap() {
        let (status, out) = call(open, "{not json");
        assert_eq!(status, FAILED);
        assert!(out.starts_with("not a preview source"), "{out}");
        assert_eq!(call(render, "{}").1, "no template is open");
    }
}
