//! Programme: the timetable with the item on now, and the notes of the day.

use std::sync::Arc;

use leptos::prelude::*;
use parcours_core::pack::Pack;
use parcours_core::text::{long_date, spoken_time};

use crate::parts::listen::{EasyRead, easy_switch};
use crate::screens::worksheets::NoteBox;
use crate::state::use_state;
use crate::widgets::heading;

#[component]
pub fn Programme(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let p = pack.clone();
    let any_easy = pack.timetable.iter().any(|i| i.easy_read.is_some());
    view! {
        {let d = pack.event.date; heading(move || w().programme_heading(&long_date(d, lang())))}
        {any_easy.then(easy_switch)}
        <ol class="programme">
            {move || p.timetable.iter().map(|item| {
                let current = state.status.get().and_then(|s| s.current).as_ref() == Some(&item.id);
                view! {
                    <li class:current=current aria-current=current.then_some("time") data-item=item.id.to_string()>
                        <span class="time">
                            {spoken_time(item.start, lang())}
                            {item.end.map(|e| format!(" – {}", spoken_time(e, lang())))}
                        </span>
                        <span class="what">
                            {current.then(|| view! { <span class="badge">{w().now_on()}</span> })}
                            <strong>{item.title.get(lang()).to_owned()}</strong>
                            {item.place.as_ref().map(|pl| view! { <span class="secondary">{pl.get(lang()).to_owned()}</span> })}
                            {match (&item.easy_read, state.easy.get()) {
                                (Some(e), true) => Some(view! { <EasyRead text=e.get(lang()).to_owned() /> }.into_any()),
                                _ => item.description.as_ref().map(|d| view! { <span class="description">{d.get(lang()).to_owned()}</span> }.into_any()),
                            }}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ol>
        <NoteBox pack_id=pack.pack.id.clone() stop=String::new() label=Signal::derive(move || state.lang.get().words().day_notes()) />
    }
}
