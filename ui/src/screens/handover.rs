//! Worksheets leaving and arriving with no network: QR codes shown one at a time (a photo of each on the
//! other device), files (JSON to import, Markdown to read), a printed page.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::Pack;
use parcours_core::status::{Code, Received};
use parcours_core::userdata::readable;
use parcours_core::wire::ErrorCode;
use parcours_core::worksheet::WorksheetDoc;

use crate::platform::files::read_files;
use crate::state::{Screen, use_state};
use crate::transport;
use crate::widgets::{Failure, heading};
use crate::words::{failed, title_of, workshop_line};

/// "Transmettre": the worksheets `ids` as QR codes (one at a time, big), as files, or printed.
#[component]
pub fn Handover(pack: Arc<Pack>, ids: Vec<String>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let docs: Vec<WorksheetDoc> =
        state.worksheets.get_untracked().into_iter().filter(|d| ids.contains(&d.id)).collect();
    let codes = RwSignal::new(None::<Result<Vec<Code>, String>>);
    let shown = RwSignal::new(0usize);
    let saved = RwSignal::new(None::<Result<parcours_core::status::Saved, String>>);
    {
        let ids = ids.clone();
        spawn_local(async move {
            codes.set(Some(transport::handover_codes(&ids).await.map_err(|e| failed(&e, w()))));
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
            view! {
                <article class="printed-sheet">
                    <h2>{r.title}</h2>
                    {r.facts.into_iter().map(|(label, value)| view! { <p>{w().fact_line(&label, &value)}</p> }).collect_view()}
                    {r.columns.into_iter().map(|(label, text)| view! {
                        <h3>{label}</h3><p class="printed-text">{if text.is_empty() { "—".to_owned() } else { text }}</p>
                    }).collect_view()}
                </article>
            }
        })
        .collect_view();
    let ids_save = ids.clone();
    view! {
        <button class="back no-print" on:click=move |_| state.go(back.clone())>{move || w().back_button()}</button>
        {heading(move || if ids.len() == 1 { w().send_one().to_owned() } else { w().send_all().to_owned() })}
        <ul class="worksheet-list sending">{list}</ul>
        <section class="qr-codes" aria-live="polite">
            {move || match codes.get() {
                None => view! { <p>{w().loading()}</p> }.into_any(),
                Some(Err(e)) => view! { <Failure text=e /> }.into_any(),
                Some(Ok(list)) => {
                    let n = list.len();
                    let i = shown.get().min(n.saturating_sub(1));
                    let code = list.get(i).cloned();
                    view! {
                        <p class="no-print">{w().send_hint()}</p>
                        <p class="code-count"><strong>{w().code_count(&(i + 1), &n)}</strong></p>
                        {code.map(|c| view! {
                            <div class="qr no-print" role="img" data-code=c.text.clone()
                                aria-label=w().code_count(&(i + 1), &n) inner_html=c.svg></div>
                        })}
                        {(n > 1).then(|| view! {
                            <div class="qr-nav no-print">
                                <button class="secondary-button big" disabled=move || shown.get() == 0
                                    on:click=move |_| shown.update(|s| *s = s.saturating_sub(1))>{w().previous()}</button>
                                <button class="primary big" id="next-code" disabled=move || shown.get() + 1 >= n
                                    on:click=move |_| shown.update(|s| *s += 1)>{w().next_code()}</button>
                            </div>
                        })}
                        <div class="print-only">
                            {list.into_iter().enumerate().map(|(k, c)| view! {
                                <figure class="qr-print"><div class="qr" inner_html=c.svg></div>
                                    <figcaption>{w().code_count(&(k + 1), &n)}</figcaption></figure>
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
                    saved.set(Some(transport::worksheets_save(&ids, lang()).await.map_err(|e| failed(&e, w()))));
                });
            }>{move || w().save_files()}</button>
            <button class="secondary-button big" id="print" on:click=move |_| {
                if let Some(win) = web_sys::window() {
                    let _ = win.print();
                }
            }>{move || w().print()}</button>
        </div>
        {move || saved.get().map(|r| match r {
            Ok(files) => view! {
                <p class="no-print" role="status">{w().file_saved()}<br/>
                    <span class="path" id="saved-json">{files.json}</span><br/>
                    <span class="path" id="saved-md">{files.markdown}</span><br/>
                    <span class="path" id="saved-html">{files.html}</span>
                </p>
            }.into_any(),
            Err(e) => view! { <Failure text=w().not_saved(&e) no_print=true /> }.into_any(),
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
                    Ok(b) => transport::handover_read(&b).await.map_err(|e| match e.code {
                        ErrorCode::NoCode => w().no_code_in_photo().to_owned(),
                        _ => w().file_problem(&name, &failed(&e, w())),
                    }),
                    Err(e) => Err(w().file_problem(&name, &e)),
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
                    Ok(b) => match transport::bank_import(&name, &b).await {
                        Ok(r) => {
                            let mut line = w().import_line(&name, &r.added, &r.updated, &r.unchanged);
                            if r.other_visit > 0 {
                                line.push_str(&w().import_other_visit(&r.other_visit));
                            }
                            if r.copies > 0 {
                                line.push_str(&w().import_copies(&r.copies));
                            }
                            if r.refused > 0 {
                                line.push_str(&w().import_refused(&r.refused));
                            }
                            (true, line)
                        }
                        Err(e) => (false, w().file_refused(&failed(&e, w()))),
                    },
                    Err(e) => (false, w().file_problem(&name, &e)),
                };
                lines.push(line);
            }
            state.reload_worksheets();
            file_lines.set(lines);
        });
    };
    view! {
        <button class="back" on:click=move |_| state.go(Screen::Bank)>{move || w().back_to_bank()}</button>
        {heading(move || w().receive().to_owned())}
        <p>{move || w().receive_hint()}</p>
        <input id="qr-photo" class="visually-hidden" type="file" accept="image/*" capture="environment" on:change=on_photo />
        <label class="file-button primary big" for="qr-photo">{move || w().take_photo()}</label>
        <div aria-live="polite" id="receive-status">
            {move || progress.get().map(|r| match r {
                Err(e) => view! { <Failure text=e /> }.into_any(),
                Ok(r) => view! {
                    {r.restarted.then(|| view! { <p class="secondary">{w().restarted()}</p> })}
                    <p><strong>{w().codes_read(&r.have, &r.total)}</strong></p>
                    {r.imported.map(|report| view! {
                        <p class="ok-box">{w().received()}</p>
                        <ul>{r.titles.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
                        {(report.copies > 0).then(|| view! { <p>{w().copies_kept(&report.copies)}</p> })}
                        {(report.refused > 0).then(|| view! { <p>{w().refused_dated(&report.refused)}</p> })}
                    })}
                    {(r.imported.is_none()).then(|| view! {
                        <p>{w().next_photo()}</p>
                        <button class="secondary-button" on:click=move |_| {
                            spawn_local(async move {
                                if transport::handover_cancel().await.is_ok() {
                                    progress.set(None);
                                }
                            });
                        }>{w().read_again()}</button>
                    })}
                }.into_any(),
            })}
        </div>
        <h2>{move || w().from_files()}</h2>
        <input id="worksheet-files" class="visually-hidden" type="file" multiple accept=".json,application/json" on:change=on_files />
        <label class="file-button secondary-button big" for="worksheet-files">{move || w().open_files()}</label>
        <ul class="file-results" aria-live="polite">
            {move || file_lines.get().into_iter().map(|(ok, line)| view! {
                <li class=if ok { "ok" } else { "problem" } role=if ok { "status" } else { "alert" }>{line}</li>
            }).collect_view()}
        </ul>
    }
}
