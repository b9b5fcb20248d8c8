//! Values kept on this device for the interface (the webview's local storage, in the app's data
//! folder): the language, easy texts, the route chosen, note drafts.

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// A value saved on this device (the webview's local storage, in the app's data folder).
pub fn storage_get(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

/// Saves a value on this device; true once the storage has taken it.
pub fn storage_set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Forgets a value saved on this device.
pub fn storage_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Forgets what the interface kept in the webview's local storage for the person (note drafts, the
/// route chosen), keeping only the reading preferences (language, easy texts); `device` is the new id.
pub fn forget_local(device: Option<&str>) {
    let Some(storage) = storage() else { return };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0)).filter_map(|i| storage.key(i).ok().flatten()).collect();
    for key in keys {
        if key.starts_with("parcours.") && !matches!(key.as_str(), "parcours.lang" | "parcours.easy") {
            let _ = storage.remove_item(&key);
        }
    }
    if let Some(device) = device {
        storage_set("parcours.device", device);
    }
}
