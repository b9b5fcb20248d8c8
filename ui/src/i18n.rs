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
}
