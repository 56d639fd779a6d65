//! Notice Studio's executable: everything lives in the library so tests can build the app too.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    notice_studio_lib::run();
}
