//! The webview's own start, the baseline of `cargo xtask bench`: a Tauri window of the app's size
//! showing one static page of the app's assets (`ui/bare.html`, one line of text), and nothing else (no
//! commands, no visit, no map, no interface). The app's start to an interactive map is read as a ratio
//! to this.

fn main() {
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    let run = tauri::Builder::default()
        .setup(|app| {
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::App("bare.html".into()))
                .title("Parcours")
                .inner_size(400.0, 780.0)
                .build()?;
            Ok(())
        })
        .run(context);
    if let Err(e) = run {
        eprintln!("bare: {e}");
        std::process::exit(1);
    }
}
