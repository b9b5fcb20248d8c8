//! What people read, as it reads today (`expect_test`): the way in words, the follow card's line, the
//! guide's run sheet and the project bank's CSV, in French and English, on the real Bayonne pack. A
//! change of wording shows here as a diff; `UPDATE_EXPECT=1 cargo test -p parcours-core --test it
//! snapshots` takes the new text once it is right.

use std::collections::BTreeMap;

use expect_test::{Expect, expect};
use parcours_core::pack::Hm;
use parcours_core::userdata::{ExportedWorksheet, bank_csv};
use parcours_core::walk::directions::{on_foot, say};
use parcours_core::walk::guide::{card_line, run_sheet};
use parcours_core::walk::{Network, route_path};

use crate::real_pack;

fn check(text: String, expected: Expect) {
    // Narrow and plain no-break spaces shown, so a lost one shows too.
    expected.assert_eq(&text.replace('\u{202f}', "⍽").replace('\u{a0}', "·").replace("\r\n", "␍\n"));
}

#[test]
fn the_way_in_words() {
    let pack = real_pack();
    let net = Network::from_layers(&pack.map).expect("the pack has streets");
    let mut said = String::new();
    for route in &pack.routes {
        for leg in route_path(&pack, &net, route).words {
            for lang in ["fr", "en"] {
                said.push_str(&format!("{} → {} ({lang}): {}\n", leg.from, leg.to, say(&leg.directions, lang)));
            }
        }
    }
    check(
        said,
        expect![[r#"
            college-albert-camus → cyberbase-malegarie (fr): Prenez le chemin sur 70·m, puis tournez à droite dans l'avenue André Malraux sur 550·m, puis au bout de la rue, tournez à gauche dans l'allée Charles Malégarie sur 80·m⍽; l'étape est devant vous.
            college-albert-camus → cyberbase-malegarie (en): Take the path for 70·m, then turn right into Avenue André Malraux for 550·m, then at the end of the street, turn left into Allée Charles Malégarie for 80·m; the stop is ahead.
            cyberbase-malegarie → collectif-social-web (fr): Prenez l'allée Charles Malégarie sur 90·m, puis au bout de la rue, tournez à gauche dans l'allée Marcel Breuer sur 400·m, puis tournez à gauche dans le chemin sur 30·m⍽; l'étape est à gauche.
            cyberbase-malegarie → collectif-social-web (en): Take Allée Charles Malégarie for 90·m, then at the end of the street, turn left into Allée Marcel Breuer for 400·m, then turn left into the path for 30·m; the stop is on your left.
            collectif-social-web → college-albert-camus (fr): Prenez le chemin sur 30·m, puis tournez à gauche dans l'allée Marcel Breuer sur 350·m, puis au bout de la rue, tournez à gauche dans l'avenue de Mounédé sur 250·m, puis au bout de la rue, tournez à gauche dans l'avenue de Sainte-Croix sur 200·m, puis continuez tout droit dans l'avenue André Malraux sur 50·m, puis tournez à droite dans le chemin sur 70·m⍽; l'étape est à droite.
            collectif-social-web → college-albert-camus (en): Take the path for 30·m, then turn left into Allée Marcel Breuer for 350·m, then at the end of the street, turn left into Avenue de Mounédé for 250·m, then at the end of the street, turn left into Avenue de Sainte-Croix for 200·m, then go straight on into Avenue André Malraux for 50·m, then turn right into the path for 70·m; the stop is on your right.
            cyberbase-malegarie → collectif-social-web (fr): Prenez l'allée Charles Malégarie sur 90·m, puis au bout de la rue, tournez à gauche dans l'allée Marcel Breuer sur 400·m, puis tournez à gauche dans le chemin sur 30·m⍽; l'étape est à gauche.
            cyberbase-malegarie → collectif-social-web (en): Take Allée Charles Malégarie for 90·m, then at the end of the street, turn left into Allée Marcel Breuer for 400·m, then turn left into the path for 30·m; the stop is on your left.
            collectif-social-web → college-albert-camus (fr): Prenez le chemin sur 30·m, puis tournez à gauche dans l'allée Marcel Breuer sur 350·m, puis au bout de la rue, tournez à gauche dans l'avenue de Mounédé sur 250·m, puis au bout de la rue, tournez à gauche dans l'avenue de Sainte-Croix sur 200·m, puis continuez tout droit dans l'avenue André Malraux sur 50·m, puis tournez à droite dans le chemin sur 70·m⍽; l'étape est à droite.
            collectif-social-web → college-albert-camus (en): Take the path for 30·m, then turn left into Allée Marcel Breuer for 350·m, then at the end of the street, turn left into Avenue de Mounédé for 250·m, then at the end of the street, turn left into Avenue de Sainte-Croix for 200·m, then go straight on into Avenue André Malraux for 50·m, then turn right into the path for 70·m; the stop is on your right.
        "#]],
    );
}

#[test]
fn the_follow_card_s_line_before_during_and_after_the_walk() {
    let pack = real_pack();
    let mut said = String::new();
    for route in &pack.routes {
        for time in ["09:00", "10:05", "10:31", "12:00"] {
            for lang in ["fr", "en"] {
                let now = Hm::parse(time).unwrap();
                said.push_str(&format!("{time} {lang}: {}\n", card_line(&pack, route, None, now, lang)));
            }
        }
    }
    said.push_str(&format!("{}\n{}\n", on_foot(263.0, 200.0, "fr"), on_foot(1240.0, 1000.0, "en")));
    check(
        said,
        expect![[r#"
        09:00 fr: ● Parcours vert — 9·h — prochaine étape⍽: Collège Albert Camus, arrivée prévue à 9·h·50
        09:00 en: ● Green route — 9:00 — next stop: Collège Albert Camus, planned arrival at 9:50
        10:05 fr: ● Parcours vert — 10·h·05 — prochaine étape⍽: Collège Albert Camus, arrivée prévue à 9·h·50
        10:05 en: ● Green route — 10:05 — next stop: Collège Albert Camus, planned arrival at 9:50
        10:31 fr: ● Parcours vert — 10·h·31 — prochaine étape⍽: Espace socio-culturel municipal (ESCM) de Bayonne, arrivée prévue à 10·h·20
        10:31 en: ● Green route — 10:31 — next stop: Espace socio-culturel municipal (ESCM) de Bayonne, planned arrival at 10:20
        12:00 fr: ● Parcours vert — 12·h — La visite est terminée. Retour à Collège Albert Camus
        12:00 en: ● Green route — 12:00 — The walk is over. Back to Collège Albert Camus
        09:00 fr: ◆ Parcours rose — 9·h — prochaine étape⍽: Cyberbase de l'École Charles Malégarie, arrivée prévue à 10·h
        09:00 en: ◆ Pink route — 9:00 — next stop: Cyberbase de l'École Charles Malégarie, planned arrival at 10:00
        10:05 fr: ◆ Parcours rose — 10·h·05 — prochaine étape⍽: Cyberbase de l'École Charles Malégarie, arrivée prévue à 10·h
        10:05 en: ◆ Pink route — 10:05 — next stop: Cyberbase de l'École Charles Malégarie, planned arrival at 10:00
        10:31 fr: ◆ Parcours rose — 10·h·31 — prochaine étape⍽: Collectif Social Web, arrivée prévue à 10·h·30
        10:31 en: ◆ Pink route — 10:31 — next stop: Collectif Social Web, planned arrival at 10:30
        12:00 fr: ◆ Parcours rose — 12·h — La visite est terminée.
        12:00 en: ◆ Pink route — 12:00 — The walk is over.
        250·m, 4 min à pied
        1.2·km, 17 min on foot
    "#]],
    );
}

#[test]
fn the_run_sheet_at_half_past_ten_with_no_stop_checked_in() {
    let pack = real_pack();
    let route = pack.route("pink").unwrap();
    let now = pack.event.date.and_hms_opt(10, 30, 0).unwrap();
    let sheet = run_sheet(&pack, route, &[], now);
    let mut said = format!(
        "late {} min, planned end {}, projected end {}\n",
        sheet.late_min, sheet.planned_end, sheet.projected_end
    );
    for row in &sheet.rows {
        said.push_str(&format!(
            "{} {}–{} {:?} {:?}\n",
            row.stop, row.planned_arrive, row.planned_depart, row.status, row.arrive_late_min
        ));
    }
    for other in &sheet.others {
        said.push_str(&format!("other {}: {:?}\n", other.route, other.place));
    }
    check(
        said,
        expect![[r#"
        late 30 min, planned end 11:45, projected end 12:15
        cyberbase-malegarie 10:00–10:20 Pending None
        collectif-social-web 10:30–10:45 Pending None
        escm 10:55–11:15 Pending None
        college-albert-camus 11:25–11:45 Pending None
        other green: At { stop: StopId("escm"), until: Hm { minutes: 640 } }
    "#]],
    );
}

#[test]
fn the_project_bank_s_csv() {
    let pack = real_pack();
    let at = pack.event.date.and_hms_opt(11, 20, 0).unwrap();
    let last = pack.worksheet.columns.last().unwrap().id.clone();
    let sheet = |id: &str, workshop: &str, rating: Option<&str>, title: &str| ExportedWorksheet {
        id: id.to_owned(),
        pack: pack.pack.id.clone(),
        workshop: workshop.to_owned(),
        title: title.to_owned(),
        fields: BTreeMap::from([
            ("titre".to_owned(), title.to_owned()),
            (last.clone(), "Le \"temps\", l'argent; =1+1".to_owned()),
        ]),
        rating: rating.map(str::to_owned),
        created_at: at,
        updated_at: at,
        removed_at: None,
    };
    let list = vec![
        ("b.json".to_owned(), sheet("dev-b-1", &pack.workshops[1].id.to_string(), Some("vert"), "Un café numérique")),
        ("a.json".to_owned(), sheet("dev-a-1", &pack.workshops[0].id.to_string(), None, "Des bancs")),
    ];
    check(
        bank_csv(&list, Some(&pack), "fr") + &bank_csv(&list, Some(&pack), "en"),
        expect![[r#"
        ﻿Atelier,Couleur,Titre,Enjeu,Titre du chantier clé,Les objectifs : on aura réussi si…,Action(s) du chantier,Gouvernance : qui pilote ? qui fait ? qui doit être associé ?,Les ressources mobilisables et celles à mobiliser,Les freins à lever pour le déploiement du chantier,id,Fichier␍
        1 — Éducation aux médias et aux réseaux sociaux,,Des bancs,,Des bancs,,,,,"Le ""temps"", l'argent; =1+1",dev-a-1,a.json␍
        2 — Développement économique et numérique,vert,Un café numérique,,Un café numérique,,,,,"Le ""temps"", l'argent; =1+1",dev-b-1,b.json␍
        ﻿Workshop,Colour,Title,Issue at stake,Title of the key project,Objectives: we will have succeeded if…,Project action(s),Governance: who leads? who does it? who must be involved?,Resources available and resources to find,Obstacles to remove to roll out the project,id,File␍
        1 — Media and social-network education,,Des bancs,,Des bancs,,,,,"Le ""temps"", l'argent; =1+1",dev-a-1,a.json␍
        2 — Economic development and digital,green,Un café numérique,,Un café numérique,,,,,"Le ""temps"", l'argent; =1+1",dev-b-1,b.json␍
    "#]],
    );
}
