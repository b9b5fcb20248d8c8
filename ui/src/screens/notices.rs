//! What the app must tell whatever the screen: user data set aside or not kept, a visit refused at
//! start, a new version ready.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::use_state;
use crate::transport;
use crate::widgets::Failure;
use crate::words::failed;

/// On the home screen: what happened to the user database at start-up, if anything went wrong.
#[component]
pub fn DataBanner() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    move || {
        let status = state.user_data.get()?;
        if let Some(aside) = status.set_aside {
            return Some(
                view! {
                    <div class="off-route" role="alert" id="set-aside-banner">
                        <p class="title">{w().data_set_aside()}</p>
                        <p class="path">{aside.moved_to}</p>
                        <p>{w().data_fresh()}</p>
                    <p>{w().data_recovered(&aside.recovered)}</p>
                        <p class="secondary">{aside.reason}</p>
                    </div>
                }
                .into_any(),
            );
        }
        if status.temporary && !status.elsewhere {
            let backup_error = RwSignal::new(None::<String>);
            return Some(
                view! {
                    <div class="off-route" role="status" id="temporary-banner">
                        <p class="title">{w().data_temporary()}</p>
                        {status.note.map(|n| view! { <p class="secondary">{n}</p> })}
                        <button class="primary" id="temporary-backup" on:click=move |_| {
                            spawn_local(async move {
                                backup_error.set(transport::backup().await.err().map(|e| failed(&e, w())));
                            });
                        }>{w().backup_now()}</button>
                        {move || backup_error.get().map(|e| view! { <Failure text=w().not_saved(&e) /> })}
                    </div>
                }
                .into_any(),
            );
        }
        if status.read_only {
            return Some(
                view! {
                    <div class="off-route" role="alert" id="read-only-banner">
                        <p class="title">{w().data_read_only()}</p>
                        {status.path.map(|p| view! { <p class="path">{p}</p> })}
                    </div>
                }
                .into_any(),
            );
        }
        let error = status.error.filter(|_| !status.ok)?;
        Some(
            view! {
                <div class="off-route" role="alert">
                    <p class="title">{w().data_unavailable()}</p>
                    <p>{error}</p>
                </div>
            }
            .into_any(),
        )
    }
}

/// What every screen of the web app must say at once: another tab holds the data, the data kept here
/// was erased, a new version waits. Nothing in the Tauri app (none of these can happen there).
#[component]
pub fn Notices() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let elsewhere = move || state.user_data.with(|s| s.as_ref().is_some_and(|s| s.elsewhere));
    view! {
        <Show when=elsewhere>
            <div class="off-route" role="alert" id="elsewhere-banner">
                <p class="title">{move || w().data_elsewhere()}</p>
            </div>
        </Show>
        <Show when=move || state.data_gone.get()>
            <div class="off-route" role="alert" id="data-gone-banner">
                <p class="title">{move || w().data_gone()}</p>
                <button class="secondary-button" on:click=move |_| state.data_gone.set(false)>{move || w().ok()}</button>
            </div>
        </Show>
        {move || state.link_failed.get().map(|failed| view! {
            <div class="off-route" role="alert" id="link-failed">
                <p class="title">{match failed {
                    crate::state::LinkFailed::Link(why) => w().visit_link_failed(&why),
                    crate::state::LinkFailed::File(why) => w().visit_file_failed(&why),
                }}</p>
                <button class="secondary-button" on:click=move |_| state.link_failed.set(None)>{move || w().ok()}</button>
            </div>
        })}
        {move || state.failure.get().map(|failure| view! {
            <div class="off-route" role="alert" id="call-failed">
                <p class="title">{move || w().call_failed()}</p>
                <p>{move || failed(&failure, w())}</p>
                <button class="secondary-button" on:click=move |_| state.failure.set(None)>{move || w().ok()}</button>
            </div>
        })}
        <Show when=move || state.update.get()>
            <div class="update" role="status" id="update-banner">
                <p>{move || w().update_ready()}</p>
                <button class="primary" id="update-now" on:click=move |_| crate::platform::browser::apply_update()>{move || w().update_now()}</button>
            </div>
        </Show>
    }
}
