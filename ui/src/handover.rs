//! Worksheets leaving and arriving with no network: QR codes shown one at a time (a photo of each on the
//! other device), files (JSON to import, Markdown to read), a printed page, and the organiser's project
//! bank (every worksheet, by workshop and colour, exported as CSV for the plenary).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::Pack;
use parcours_core::status::{Code, Received};
use parcours_core::userdata::{ExportedWorksheet, bank_groups, readable};
use parcours_core::wire::ErrorCode;
use parcours_core::worksheet::{WorksheetDoc, fields_in_form_order};

use crate::widgets::{Failure, heading};
use crate::{Screen, ipc, use_state};

/// The files chosen in an `<input type=file>`, read as bytes; the input is emptied so the same file can
/// be chosen again.
pub(crate) async fn read_files(input: web_sys::HtmlInputElement) -> Vec<(String, Result<Vec<u8>, String>)> {
    let mut out = Vec::new();
    if let Some(list) = input.files() {
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let bytes = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
                .await
                .map(|buf| js_sys::Uint8Array::new(&buf).to_vec())
                .map_err(|e| format!("{e:?}"));
            out.push((file.name(), bytes));
        }
    }
    input.set_value("");
    out
}

fn workshop_line(pack: &Pack, doc: &WorksheetDoc, lang: &str, w: &crate::i18n::Words) -> String {
    pack.workshops.iter().find(|k| k.id.as_str() == doc.workshop).map_or_else(
        || w.unknown_workshop.to_owned(),
        |k| format!("{} {} — {}", w.workshop, k.number, k.title.get(lang)),
    )
}

fn title_of(pack: &Pack, doc: &WorksheetDoc, w: &crate::i18n::Words) -> String {
    let t = doc.title(&pack.worksheet);
    if t.is_empty() { w.untitled.to_owned() } else { t }
}

/// "Transmettre": the worksheets `ids` as QR codes (one at a time, big), as files, or printed.
#[component]
pub fn Handover(pack: Arc<Pack>, ids: Vec<String>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let docs: Vec<WorksheetDoc> =
        state.worksheets.get_untracked().into_iter().filter(|d| ids.contains(&d.id)).collect();
    let codes = RwSignal::new(None::<Result<Vec<Code>, String>>);
    let shown = RwSignal::new(0usize);
    let saved = RwSignal::new(None::<Result<parcours_core::status::Saved, String>>);
    {
        let ids = ids.clone();
        spawn_local(async move {
            codes.set(Some(ipc::handover_codes(&ids).await.map_err(|e| e.message)));
        });
    }
    let back = if ids.len() == 1 { Screen::Worksheet(ids[0].clone()) } else { Screen::Workshops };
    let p = pack.clone();
    let list = docs
        .iter()
        .map(|d| view! { <li><strong>{title_of(&p, d, w())}</strong><br/><span class="secondary">{workshop_line(&p, d, lang(), w())}</span></li> })
        .collect_view();
    // The page to print: the same layout as the saved HTML file's (the core's `readable`).
    let printed = docs
        .iter()
        .map(|d| {
            let r = readable(d, Some(&pack), lang());
            let colon = if lang() == "fr" { " :" } else { ":" };
            view! {
                <article class="printed-sheet">
                    <h2>{r.title}</h2>
                    {r.facts.into_iter().map(|(label, value)| view! { <p>{format!("{label}{colon} {value}")}</p> }).collect_view()}
                    {r.columns.into_iter().map(|(label, text)| view! {
                        <h3>{label}</h3><p class="printed-text">{if text.is_empty() { "—".to_owned() } else { text }}</p>
                    }).collect_view()}
                </article>
            }
        })
        .collect_view();
    let ids_save = ids.clone();
    view! {
        <button class="back no-print" on:click=move |_| state.go(back.clone())>{move || format!("◀ {}", w().back)}</button>
        {heading(move || if ids.len() == 1 { w().send_one.to_owned() } else { w().send_all.to_owned() })}
        <ul class="worksheet-list sending">{list}</ul>
        <section class="qr-codes" aria-live="polite">
            {move || match codes.get() {
                None => view! { <p>{w().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <Failure text=e /> }.into_any(),
                Some(Ok(list)) => {
                    let n = list.len();
                    let i = shown.get().min(n.saturating_sub(1));
                    let code = list.get(i).cloned();
                    view! {
                        <p class="no-print">{w().send_hint}</p>
                        <p class="code-count"><strong>{format!("{} {} {} {n}", w().code, i + 1, w().of)}</strong></p>
                        {code.map(|c| view! {
                            <div class="qr no-print" role="img" data-code=c.text.clone()
                                aria-label=format!("{} {} {} {n}", w().code, i + 1, w().of) inner_html=c.svg></div>
                        })}
                        {(n > 1).then(|| view! {
                            <div class="qr-nav no-print">
                                <button class="secondary-button big" disabled=move || shown.get() == 0
                                    on:click=move |_| shown.update(|s| *s = s.saturating_sub(1))>{w().previous}</button>
                                <button class="primary big" id="next-code" disabled=move || shown.get() + 1 >= n
                                    on:click=move |_| shown.update(|s| *s += 1)>{w().next_code}</button>
                            </div>
                        })}
                        <div class="print-only">
                            {list.into_iter().enumerate().map(|(k, c)| view! {
                                <figure class="qr-print"><div class="qr" inner_html=c.svg></div>
                                    <figcaption>{format!("{} {} {} {n}", w().code, k + 1, w().of)}</figcaption></figure>
                            }).collect_view()}
                        </div>
                    }
                    .into_any()
                }
            }}
        </section>
        <div class="actions no-print">
            <button class="secondary-button big" id="save-files" on:click=move |_| {
                let ids = ids_save.clone();
                spawn_local(async move {
                    saved.set(Some(ipc::worksheets_save(&ids, lang()).await.map_err(|e| e.message)));
                });
            }>{move || w().save_files}</button>
            <button class="secondary-button big" id="print" on:click=move |_| {
                if let Some(win) = web_sys::window() {
                    let _ = win.print();
                }
            }>{move || w().print}</button>
        </div>
        {move || saved.get().map(|r| match r {
            Ok(files) => view! {
                <p class="no-print" role="status">{w().file_saved}<br/>
                    <span class="path" id="saved-json">{files.json}</span><br/>
                    <span class="path" id="saved-md">{files.markdown}</span><br/>
                    <span class="path" id="saved-html">{files.html}</span>
                </p>
            }.into_any(),
            Err(e) => view! { <Failure text=format!("{} {e}", w().not_saved) no_print=true /> }.into_any(),
        })}
        <section class="print-only">{printed}</section>
    }
}

/// "Recevoir des fiches": photos of another device's codes, or worksheet files.
#[component]
pub fn Receive() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let progress = RwSignal::new(None::<Result<Received, String>>);
    let file_lines = RwSignal::new(Vec::<(bool, String)>::new());
    let on_photo = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        spawn_local(async move {
            for (name, bytes) in read_files(input).await {
                let answer = match bytes {
                    Ok(b) => ipc::handover_read(&b).await.map_err(|e| match e.code {
                        ErrorCode::NoCode => w().no_code_in_photo.to_owned(),
                        _ => format!("{name} : {}", e.message),
                    }),
                    Err(e) => Err(format!("{name} : {e}")),
                };
                if answer.as_ref().is_ok_and(|r| r.imported.is_some()) {
                    state.reload_worksheets();
                }
                progress.set(Some(answer));
            }
        });
    };
    let on_files = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        spawn_local(async move {
            let mut lines = Vec::new();
            for (name, bytes) in read_files(input).await {
                let line = match bytes {
                    Ok(b) => match ipc::bank_import(&name, &b).await {
                        Ok(r) => {
                            let mut line = format!(
                                "{name} : {} {}, {} {}, {} {}",
                                r.added,
                                w().added,
                                r.updated,
                                w().updated,
                                r.unchanged,
                                w().unchanged
                            );
                            if r.other_visit > 0 {
                                line.push_str(&format!(" — {} {}", r.other_visit, w().from_other_visit));
                            }
                            if r.copies > 0 {
                                line.push_str(&format!(" — {} {}", r.copies, w().copies_kept));
                            }
                            if r.refused > 0 {
                                line.push_str(&format!(" — {} {}", r.refused, w().refused_dated));
                            }
                            (true, line)
                        }
                        Err(e) => (false, format!("{} {}", w().file_refused, e.message)),
                    },
                    Err(e) => (false, format!("{name} : {e}")),
                };
                lines.push(line);
            }
            state.reload_worksheets();
            file_lines.set(lines);
        });
    };
    view! {
        <button class="back" on:click=move |_| state.go(Screen::Bank)>{move || format!("◀ {}", w().bank)}</button>
        {heading(move || w().receive.to_owned())}
        <p>{move || w().receive_hint}</p>
        <input id="qr-photo" class="visually-hidden" type="file" accept="image/*" capture="environment" on:change=on_photo />
        <label class="file-button primary big" for="qr-photo">{move || w().take_photo}</label>
        <div aria-live="polite" id="receive-status">
            {move || progress.get().map(|r| match r {
                Err(e) => view! { <Failure text=e /> }.into_any(),
                Ok(r) => view! {
                    {r.restarted.then(|| view! { <p class="secondary">{w().restarted}</p> })}
                    <p><strong>{format!("{} {} {} {}", w().codes_read, r.have, w().of, r.total)}</strong></p>
                    {r.imported.map(|report| view! {
                        <p class="ok-box">{w().received}</p>
                        <ul>{r.titles.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
                        {(report.copies > 0).then(|| view! { <p>{format!("{} {}", report.copies, w().copies_kept)}</p> })}
                        {(report.refused > 0).then(|| view! { <p>{format!("{} {}", report.refused, w().refused_dated)}</p> })}
                    })}
                    {(r.imported.is_none()).then(|| view! {
                        <p>{w().next_photo}</p>
                        <button class="secondary-button" on:click=move |_| {
                            spawn_local(async move {
                                if ipc::handover_cancel().await.is_ok() {
                                    progress.set(None);
                                }
                            });
                        }>{w().read_again}</button>
                    })}
                }.into_any(),
            })}
        </div>
        <h2>{move || w().from_files}</h2>
        <input id="worksheet-files" class="visually-hidden" type="file" multiple accept=".json,application/json" on:change=on_files />
        <label class="file-button secondary-button big" for="worksheet-files">{move || w().open_files}</label>
        <ul class="file-results" aria-live="polite">
            {move || file_lines.get().into_iter().map(|(ok, line)| view! {
                <li class=if ok { "ok" } else { "problem" } role=if ok { "status" } else { "alert" }>{line}</li>
            }).collect_view()}
        </ul>
    }
}

/// "Banque de projets": every worksheet on this device (mine and received), by workshop, then colour.
#[component]
pub fn Bank(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let exported = RwSignal::new(None::<Result<String, String>>);
    state.reload_worksheets();
    let removed_pack = pack.clone();
    let other_pack = pack.clone();
    view! {
        <button class="back" on:click=move |_| state.go(Screen::More)>{move || format!("◀ {}", w().back)}</button>
        {heading(move || w().bank.to_owned())}
        <p>{move || w().bank_hint}</p>
        <div class="actions">
            <button class="primary big" id="to-receive" on:click=move |_| state.go(Screen::Receive)>{move || w().receive}</button>
            <button class="secondary-button big" id="bank-export" on:click=move |_| {
                spawn_local(async move {
                    exported.set(Some(ipc::bank_export(lang()).await.map_err(|e| e.message)));
                });
            }>{move || w().bank_export}</button>
        </div>
        {move || exported.get().map(|r| match r {
            Ok(p) => view! { <p role="status">{w().file_saved}<br/><span class="path" id="bank-path">{p}</span></p> }.into_any(),
            Err(e) => view! { <Failure text=e /> }.into_any(),
        })}
        {move || {
            let all = state.worksheets.get();
            if all.is_empty() {
                return view! { <p class="secondary">{w().bank_empty}</p> }.into_any();
            }
            bank_groups(&pack, all)
                .into_iter()
                .map(|list| {
                    let heading = workshop_line(&pack, &list[0], lang(), w());
                    let items = list
                        .iter()
                        .map(|d| {
                            let colour = d.rating.as_ref().and_then(|r| pack.worksheet.ratings.iter().find(|x| &x.id == r));
                            let (swatch, label) = colour.map_or_else(
                                || ("transparent".to_owned(), w().no_rating.to_owned()),
                                |r| (r.colour.clone(), r.label.get(lang()).to_owned()),
                            );
                            let origin = if state.is_mine(d) { w().from_this_device } else { w().from_other };
                            let id = d.id.clone();
                            view! {
                                <li>
                                    <button class="bank-item" data-bank=d.id.clone() on:click=move |_| state.go(Screen::Worksheet(id.clone()))>
                                        <span class="stop-name">{title_of(&pack, d, w())}</span>
                                        <span><span class="swatch" style=format!("background:{swatch}") aria-hidden="true"></span>{label}</span>
                                        <span class="secondary">{origin}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view();
                    view! { <section class="bank-group"><h2>{heading}</h2><ul class="worksheet-list">{items}</ul></section> }
                })
                .collect_view()
                .into_any()
        }}
        <crate::worksheets::RemovedWorksheets pack=removed_pack only_mine=false />
        <OtherVisits pack=other_pack />
    }
}

/// The worksheets of other visits kept on this device (a file from an earlier visit, or the user data of
/// the last one): listed apart, each opening to its text. Nothing when there are none.
#[component]
fn OtherVisits(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let list = RwSignal::new(Vec::<ExportedWorksheet>::new());
    // Again whenever the bank's list changes (a file was opened).
    Effect::new(move |_| {
        state.worksheets.track();
        spawn_local(async move {
            if let Ok(found) = ipc::worksheets_other_visits().await {
                list.set(found);
            }
        });
    });
    move || {
        let found = list.get();
        (!found.is_empty()).then(|| {
            let count = found.len();
            view! {
                <section class="other-visits">
                    <h2>{format!("{} ({count})", w().other_visits_title)}</h2>
                    <p class="secondary">{w().other_visits_hint}</p>
                    {found.into_iter().map(|x| {
                        let title = if x.title.is_empty() { w().untitled.to_owned() } else { x.title.clone() };
                        view! {
                            <details class="other-visit" data-other=x.id.clone()>
                                <summary>
                                    <span class="stop-name">{title}</span>
                                    <span class="secondary">{format!("{} : {} — {}", w().visit, x.pack, x.updated_at.format("%d/%m/%Y %H:%M"))}</span>
                                </summary>
                                <dl>{fields_in_form_order(&pack.worksheet, &x.fields, lang()).into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd class="printed-text">{v}</dd> }).collect_view()}</dl>
                            </details>
                        }
                    }).collect_view()}
                </section>
            }
        })
    }
}
