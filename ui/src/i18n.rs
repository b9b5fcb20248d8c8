//! The interface's own words, in French (default) and English. Content texts come from the pack.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Lang {
        if code == "en" { Lang::En } else { Lang::Fr }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    pub fn words(self) -> &'static Words {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }
}

/// Defines `Words` (one field per interface word), its French and English values side by side, and
/// `Words::all` (every word, for the completeness test).
macro_rules! words {
    ($($field:ident: $fr:literal / $en:literal,)+) => {
        pub struct Words {
            $(pub $field: &'static str,)+
        }

        pub const FR: Words = Words { $($field: $fr,)+ };
        pub const EN: Words = Words { $($field: $en,)+ };

        impl Words {
            pub fn all(&self) -> Vec<&'static str> {
                vec![$(self.$field,)+]
            }
        }
    };
}

words! {
    loading: "Chargement…" / "Loading…",
    tab_home: "Accueil" / "Home",
    tab_map: "Carte" / "Map",
    tab_programme: "Programme" / "Programme",
    tab_more: "Plus" / "More",
    main_nav: "Navigation principale" / "Main navigation",
    switch_language: "EN" / "FR",
    switch_language_label: "Read in English" / "Lire en français",
    now: "Maintenant" / "Now",
    next: "Ensuite" / "Next",
    day_before: "La journée commence bientôt." / "The day starts soon.",
    day_after: "La journée est terminée. Merci de votre participation !" / "The day is over. Thank you for taking part!",
    day_other: "Programme de la journée" / "Programme of the day",
    choose_route: "Choisissez votre parcours" / "Choose your route",
    route_chosen: "Votre parcours" / "Your route",
    next_stop: "Prochaine étape" / "Next stop",
    stop_word: "Étape" / "Stop",
    of: "sur" / "of",
    planned: "Prévu" / "Planned",
    walk_over: "La visite est terminée : retour au collège." / "The walk is over: back to the school.",
    position_unknown: "Position à confirmer" / "Position to be confirmed",
    position_approx: "Position approximative, à" / "Approximate position, within",
    metres: "m près" / "m",
    no_route: "Choisissez d'abord votre parcours sur l'accueil." / "First choose your route on the home screen.",
    stops_list: "Les étapes de votre parcours" / "The stops of your route",
    open_stop: "Voir l'étape" / "See the stop",
    back: "Retour" / "Back",
    theme: "Thème" / "Theme",
    meeting_place: "Rendez-vous" / "Meeting point",
    host: "Accueil par" / "Hosted by",
    with: "Avec" / "With",
    facts: "Le saviez-vous ?" / "Did you know?",
    my_notes: "Mes notes" / "My notes",
    notes_hint: "Vos notes restent sur cet appareil." / "Your notes stay on this device.",
    saved: "Enregistré" / "Saved",
    now_on: "En ce moment" / "Now on",
    until: "jusqu'à" / "until",
    programme_title: "Programme" / "Programme",
    workshops: "Ateliers" / "Workshops",
    workshop: "Atelier" / "Workshop",
    worksheet: "La fiche chantier" / "The project worksheet",
    initiatives: "Initiatives" / "Initiatives",
    all: "Toutes" / "All",
    search: "Rechercher" / "Search",
    search_hint: "Un mot, un lieu, un nom…" / "A word, a place, a name…",
    no_results: "Rien trouvé pour" / "Nothing found for",
    holder: "Porteur" / "Run by",
    acts_on: "Agit sur" / "Acts on",
    territory: "Territoire" / "Area",
    about: "À propos" / "About",
    organisers: "Organisé par" / "Organised by",
    partners: "En partenariat avec" / "In partnership with",
    key_figures: "Chiffres clés" / "Key figures",
    sources: "Données et licences" / "Data and licences",
    stop_positions: "Position des étapes" / "Stop positions",
    map_label: "Carte du quartier et de votre parcours" / "Map of the neighbourhood and your route",
    map_data: "Fond de carte" / "Base map",
    cannot_open: "Le contenu de la visite n'a pas pu être ouvert." / "The visit's content could not be opened.",
    more_title: "Plus" / "More",
    kind_stop: "Étape" / "Stop",
    kind_workshop: "Atelier" / "Workshop",
    kind_initiative: "Initiative" / "Initiative",
    show_more: "Lire la suite" / "Read more",
    show_less: "Réduire" / "Show less",
    route_pattern_solid: "trait plein" / "solid line",
    route_pattern_dashed: "pointillés" / "dashed line",
    on_foot: "à pied" / "on foot",
    minutes: "min" / "min",
    metres_short: "m" / "m",
    depart_in: "départ prévu dans" / "planned departure in",
    depart_at: "départ prévu à" / "planned departure at",
    arrive_at: "arrivée prévue à" / "planned arrival at",
    next_stop_lower: "prochaine étape" / "next stop",
    you_are_at: "Vous êtes à l'étape" / "You are at stop",
    off_route_title: "Vous vous éloignez du parcours" / "You are moving away from the route",
    off_route_help: "Pour revenir, suivez la ligne de petits points noirs vers" / "To get back, follow the black dotted line to",
    position_waiting: "Recherche de votre position…" / "Finding your position…",
    position_on: "Votre position est le point bleu." / "Your position is the blue dot.",
    position_unavailable: "Position inconnue — activez la localisation, ou suivez la liste." / "Position unknown — turn on location, or follow the list.",
    i_am_here: "J'y suis" / "I'm here",
    gap: "Écart" / "Gap",
    position_simulated: "Marche simulée (démonstration)" / "Simulated walk (demo)",
    distance_unknown: "Distance inconnue : le guide vous y conduit." / "Distance unknown: the guide will take you there.",
    arrived_title: "Vous êtes arrivés !" / "You have arrived!",
    guide: "Mode guide" / "Guide mode",
    guide_hint: "Feuille de route, horaires, intervenants" / "Run sheet, times, speakers",
    run_sheet: "Feuille de route" / "Run sheet",
    actual: "Réel" / "Actual",
    state: "État" / "Status",
    late_by: "En retard de" / "Late by",
    ahead_by: "En avance de" / "Ahead by",
    on_time: "À l'heure" / "On time",
    expected_end: "Fin prévue" / "Expected end",
    instead_of: "au lieu de" / "instead of",
    for_next_stop: "Pour la prochaine étape" / "For the next stop",
    time_there: "Temps sur place" / "Time there",
    other_group: "L'autre groupe, selon son horaire" / "The other group, by its timetable",
    not_started: "pas encore parti, départ à" / "not started yet, leaves at",
    walking_to: "en route vers" / "walking to",
    is_at: "à" / "at",
    finished: "a fini son parcours" / "has finished its route",
    check_in: "Nous sommes arrivés" / "We have arrived",
    check_out: "Nous partons" / "We are leaving",
    status_pending: "À venir" / "To come",
    status_here: "Sur place" / "Here now",
    status_done: "Faite" / "Done",
    status_skipped: "Sautée" / "Skipped",
    status_unconfirmed: "Non pointée" / "Not checked in",
    by_hand: "pointé à la main" / "checked in by hand",
    simulate: "Simuler la marche (démonstration, sans GPS)" / "Simulate the walk (demo, no GPS)",
    simulate_hint: "Rejoue une marche du parcours : position, arrivées, écart de parcours." / "Replays a walk of the route: position, arrivals, leaving the route.",
    speed: "Vitesse" / "Speed",
    real_time: "temps réel" / "real time",
    walk_time: "Heure de la marche" / "Walk time",
    record_here: "Enregistrer ici la position de" / "Record here the position of",
    recorded_ok: "Position enregistrée, à" / "Position recorded, within",
    no_recent_position: "Pas de position récente : attendez le point bleu sur la carte." / "No recent position: wait for the blue dot on the map.",
    simulated_not_recorded: "Marche simulée : aucune position n'est enregistrée." / "Simulated walk: no position is recorded.",
    recorded_positions: "Positions relevées sur place" / "Positions recorded on site",
    export_for_organiser: "Exporter pour l'organisateur (GeoJSON)" / "Export for the organiser (GeoJSON)",
    file_saved: "Fichier enregistré :" / "File saved:",
    start_again: "Recommencer le parcours" / "Start the route again",
    start_again_confirm: "Effacer les heures d'arrivée et de départ ? Touchez encore pour confirmer." / "Clear the arrival and departure times? Tap again to confirm.",
    recorded_marker: "Position relevée" / "Recorded position",
    not_saved: "Non enregistré :" / "Not saved:",
    my_worksheets: "Mes fiches" / "My worksheets",
    no_worksheet_yet: "Pas encore de fiche : créez-en une depuis un atelier ci-dessous." / "No worksheet yet: create one from a workshop below.",
    new_worksheet: "Nouvelle fiche pour cet atelier" / "New worksheet for this workshop",
    untitled: "Fiche sans titre" / "Untitled worksheet",
    saving: "Enregistrement…" / "Saving…",
    saved_at: "Enregistré à" / "Saved at",
    rating_title: "Faisabilité du chantier clé" / "Feasibility of the key project",
    no_rating: "Pas encore choisie" / "Not chosen yet",
    old_fields: "Champs d'une ancienne version de la fiche (gardés)" / "Fields from an older version of the form (kept)",
    unknown_workshop: "Atelier inconnu de cette visite" / "Workshop unknown to this visit",
    data_set_aside: "Vos données enregistrées n'ont pas pu être lues. L'ancien fichier est gardé ici :" / "Your saved data could not be read. The old file is kept here:",
    data_fresh: "Parcours continue avec un nouveau carnet." / "Parcours goes on with a new notebook.",
    data_recovered: "Éléments relus dans l'ancien fichier et gardés :" / "Items read back from the old file and kept:",
    data_unavailable: "Rien ne peut être enregistré sur cet appareil :" / "Nothing can be saved on this device:",
    day_notes: "Notes de la journée" / "Notes of the day",
    ready: "Prêt pour le hors-ligne" / "Ready for offline",
    ready_hint: "La veille : tout est-il sur l'appareil ?" / "The day before: is everything on the device?",
    ready_pack: "Contenu de la visite" / "Content of the visit",
    ready_checked: "vérifié" / "checked",
    ready_checked_plural: "vérifiées" / "checked",
    ready_map: "Carte" / "Map",
    ready_streets: "rues" / "streets",
    ready_points: "points pour les itinéraires" / "points for walking directions",
    ready_app_files: "Police et fond de carte présents sur l'appareil" / "Font and map library on the device",
    ready_app_files_missing: "Police ou fond de carte manquant : réinstallez Parcours" / "Font or map library missing: reinstall Parcours",
    ready_user: "Vos données" / "Your data",
    ready_worksheets: "fiches" / "worksheets",
    ready_notes: "notes" / "notes",
    ready_positions: "positions relevées" / "recorded positions",
    ready_snapshots: "Copies de sécurité (avant mise à jour)" / "Safety copies (before an update)",
    ready_problem: "Problème" / "Problem",
    kilobytes: "Ko" / "KB",
}
