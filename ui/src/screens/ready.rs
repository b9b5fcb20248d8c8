//! "Prêt pour la visite": is everything on the device, the day before; backup and erasing my data.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::Hm;
use parcours_core::status::Storage;
use parcours_core::text::{numeric_date, spoken_time};

use crate::state::use_state;
use crate::transport;
use crate::widgets::{Failure, heading};
use crate::words::failed;

/// " (supprimées : 1 ; autres visites : 2)" for the worksheets kept out of the lists; empty if none.
fn kept_apart(r: &parcours_core::status::Readiness, w: &crate::i18n::Words) -> String {
    let mut parts = Vec::new();
    if r.removed_worksheets > 0 {
        parts.push(w.ready_removed(&r.removed_worksheets));
    }
    if r.other_visit_worksheets > 0 {
        parts.push(w.ready_other_visits(&r.other_visit_worksheets));
    }
    if parts.is_empty() { String::new() } else { w.kept_apart(&parts.join(w.list_separator())) }
}

/// A size in words: "1,2 Go", "350 Mo" ("1.2 GB", "350 MB").
fn size_words(bytes: u64, w: &crate::i18n::Words) -> String {
    let giga = bytes >= 1 << 30;
    let value = bytes as f64 / (1u64 << if giga { 30 } else { 20 }) as f64;
    let number =
        if value >= 10.0 { format!("{value:.0}") } else { format!("{value:.1}") }.replace('.', w.decimal_mark());
    if giga { w.size_gb(&number) } else { w.size_mb(&number) }
}

/// "Prêt pour le hors-ligne": the pack, the map, the app's own files and the user data, checked now.
#[component]
pub fn Ready() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let lang = move || state.lang.get().tag();
    let report = RwSignal::new(None::<Result<parcours_core::status::Readiness, String>>);
    let refresh = move || {
        spawn_local(async move {
            report.set(Some(transport::readiness().await.map_err(|e| failed(&e, w()))));
        })
    };
    refresh();
    let backup_error = RwSignal::new(None::<String>);
    // The interface's own files: Leaflet loaded, the font available.
    let app_files = web_sys::window().is_some_and(|win| {
        let leaflet = js_sys::Reflect::has(&win, &wasm_bindgen::JsValue::from_str("L")).unwrap_or(false);
        let font = win
            .document()
            .and_then(|d| js_sys::Reflect::get(&d, &"fonts".into()).ok())
            .and_then(|fonts| {
                let check = js_sys::Reflect::get(&fonts, &"check".into()).ok()?;
                let check: js_sys::Function = wasm_bindgen::JsCast::dyn_into(check).ok()?;
                check.call1(&fonts, &"16px \"Atkinson Hyperlegible\"".into()).ok()?.as_bool()
            })
            .unwrap_or(false);
        leaflet && font
    });
    // The web app: is this version kept for offline use, and did the browser promise to keep the data?
    let web = RwSignal::new(None::<(Option<String>, Option<bool>)>);
    if !transport::in_tauri() {
        spawn_local(async move {
            web.set(Some((
                crate::platform::browser::offline_build().await,
                crate::platform::browser::persisted().await,
            )));
        });
    }
    let kb = |bytes: u64| (bytes as f64 / 1024.0).round();
    let line = |ok: bool, text: String| {
        view! { <li class=if ok { "ok" } else { "problem" }><span aria-hidden="true">{if ok { "✓ " } else { "⚠ " }}</span>{text}</li> }
    };
    view! {
        {heading(move || w().ready().to_owned())}
        {move || match report.get() {
            None => view! { <p>{w().loading()}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="off-route">{e}</p> }.into_any(),
            Some(Ok(r)) => {
                let pack_ok = r.pack_problem.is_none();
                view! {
                    <ul class="readiness">
                        {line(pack_ok, {
                            let (version, size) = (r.pack_version.to_string(), kb(r.pack_bytes).to_string());
                            match &r.pack_problem {
                                None => w().ready_pack_line(&r.pack_id, &version, &size),
                                Some(p) => w().ready_pack_problem(&r.pack_id, &version, &size, p),
                            }
                        })}
                        {line(r.streets > 0 && r.routable_points > 0, w().ready_map_line(&r.streets, &r.routable_points, &r.attribution))}
                        {line(app_files, if app_files { w().ready_app_files().to_owned() } else { w().ready_app_files_missing().to_owned() })}
                        {line(r.user_ok, {
                            let (size, sheets, apart) = (kb(r.user_bytes).to_string(), r.worksheets.to_string(), kept_apart(&r, w()));
                            let (notes, positions) = (r.notes.to_string(), r.corrections.to_string());
                            match &r.user_problem {
                                None => w().ready_user_line(&size, &sheets, &apart, &notes, &positions),
                                Some(p) => w().ready_user_problem(&size, &sheets, &apart, &notes, &positions, p),
                            }
                        })}
                        {match r.storage {
                            Storage::File => None,
                            Storage::Opfs => Some(line(true, w().ready_storage_opfs().to_owned())),
                            Storage::IndexedDb => Some(line(true, w().ready_storage_indexed().to_owned())),
                            Storage::Memory => Some(line(false, w().ready_storage_memory().to_owned())),
                        }}
                        {line(true, w().ready_snapshots(&r.snapshots))}
                        {r.free_bytes.map(|free| line(free >= parcours_core::status::LOW_SPACE_BYTES, if free < parcours_core::status::LOW_SPACE_BYTES { w().free_space_low(&size_words(free, w())) } else { w().free_space(&size_words(free, w())) }))}
                        {move || web.get().map(|(build, persisted)| view! {
                            {line(build.is_some(), match &build {
                                Some(b) => w().ready_offline_copy(b),
                                None => w().ready_no_offline_copy().to_owned(),
                            })}
                            {line(persisted == Some(true), match persisted {
                                Some(true) => w().ready_persisted(),
                                Some(false) => w().ready_not_persisted(),
                                None => w().ready_persist_unknown(),
                            }.to_owned())}
                        })}
                        {line(r.last_backup.is_some(), match r.last_backup {
                            Some(t) => w().last_backup(&numeric_date(t.date(), lang()), &spoken_time(Hm::of(t), lang())),
                            None => w().no_backup().to_owned(),
                        })}
                    </ul>
                    {r.last_backup_path.map(|p| view! { <p class="secondary path" id="backup-path">{p}</p> })}
                    <button class="primary big" id="backup" on:click=move |_| {
                        spawn_local(async move {
                            match transport::backup().await {
                                Ok(_) => { backup_error.set(None); refresh(); }
                                Err(e) => backup_error.set(Some(crate::words::failed(&e, w()))),
                            }
                        });
                    }>{w().backup_now()}</button>
                    {move || backup_error.get().map(|e| view! { <Failure text=w().not_saved(&e) /> })}
                    {r.user_path.map(|p| view! { <p class="secondary path">{p}</p> })}
                    {r.set_aside.map(|a| view! { <p class="off-route">{w().data_set_aside_at(&a.moved_to)}</p> })}
                }
                .into_any()
            }
        }}
        <EraseMyData on_done=Callback::new(move |()| refresh()) />
    }
}

/// "Effacer mes données de cet appareil": asked twice, saying what goes, with the backup offered
/// before; then every worksheet, note, walk and recorded position is erased by the shell
/// (`erase_data`), and what the interface kept in local storage too.
#[component]
fn EraseMyData(on_done: Callback<()>) -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    // 0: the button; 1: asked, waiting for the second tap; 2: done.
    let step = RwSignal::new(0u8);
    let failed = RwSignal::new(None::<String>);
    let erase = move |_| {
        spawn_local(async move {
            match transport::erase_data().await {
                Ok(status) => {
                    crate::platform::storage::forget_local(status.device.as_deref());
                    state.user_data.set(Some(status));
                    state.worksheets.set(Vec::new());
                    state.notes.set(Some(Default::default()));
                    state.follow.set(None);
                    state.corrections.set(Vec::new());
                    state.route.set(None);
                    failed.set(None);
                    step.set(2);
                    on_done.run(());
                }
                Err(e) => failed.set(Some(crate::words::failed(&e, w()))),
            }
        });
    };
    view! {
        <section class="erase" aria-labelledby="erase-title">
            <h2 id="erase-title">{move || w().erase_title()}</h2>
            {move || match step.get() {
                0 => view! {
                    <button class="secondary-button danger" id="erase" on:click=move |_| step.set(1)>{w().erase_title()}</button>
                }.into_any(),
                1 => view! {
                    <div class="erase-ask" role="alert">
                        <p><strong>{w().erase_what()}</strong></p>
                        <p>{w().erase_backup_first()}</p>
                        <button class="primary" id="erase-backup" on:click=move |_| {
                            spawn_local(async move {
                                if let Err(e) = transport::backup().await {
                                    failed.set(Some(crate::words::failed(&e, w())));
                                }
                                on_done.run(());
                            });
                        }>{w().backup_now()}</button>
                        <button class="secondary-button danger" id="erase-confirm" on:click=erase>{w().erase_confirm()}</button>
                        <button class="secondary-button" id="erase-cancel" on:click=move |_| step.set(0)>{w().erase_cancel()}</button>
                    </div>
                }.into_any(),
                _ => view! { <p class="ok-box" role="status" id="erase-done">{w().erase_done()}</p> }.into_any(),
            }}
            {move || failed.get().map(|e| view! { <Failure text=w().erase_failed(&e) /> })}
        </section>
    }
}
