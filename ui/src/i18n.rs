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
    switch_language: "English" / "Français",
    now: "Maintenant" / "Now",
    next: "Ensuite" / "Next",
    day_before: "La journée commence bientôt." / "The day starts soon.",
    day_after: "La journée est terminée. Merci de votre participation !" / "The day is over. Thank you for taking part!",
    day_other: "Programme de la journée" / "Programme of the day",
    choose_route: "Choisissez votre parcours" / "Choose your route",
    route_chosen: "Votre parcours" / "Your route",
    next_stop: "Prochaine étape" / "Next stop",
    stop_word: "Étape" / "Stop",
    way_in_words: "Le chemin, en mots" / "The way, in words",
    way_from: "Depuis" / "From",
    listen: "Écouter" / "Listen",
    listen_stop: "Arrêter la lecture" / "Stop reading",
    recording: "L'enregistrement de l'étape" / "The stop's recording",
    recording_failed: "L'enregistrement n'a pas pu être ouvert." / "The recording could not be opened.",
    read_full: "Lire le texte complet" / "Read the full text",
    read_easy: "Lire le texte facile" / "Read the easy text",
    easy_label: "Facile à lire" / "Easy to read",
    zoom_in: "Rapprocher la carte" / "Zoom in",
    route_start: "Départ" / "Start",
    route_end: "Arrivée" / "Finish",
    zoom_out: "Éloigner la carte" / "Zoom out",
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
    results_found: "Résultats trouvés :" / "Results found:",
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
    not_removed: "Fiche non supprimée :" / "Worksheet not removed:",
    not_restored: "Fiche non remise :" / "Worksheet not put back:",
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
    ready_removed: "supprimées" / "removed",
    ready_other_visits: "autres visites" / "other visits",
    ready_positions: "positions relevées" / "recorded positions",
    ready_snapshots: "Copies de sécurité (avant mise à jour)" / "Safety copies (before an update)",
    ready_problem: "Problème" / "Problem",
    kilobytes: "Ko" / "KB",
    last_backup: "Dernière sauvegarde" / "Last backup",
    free_space: "Place libre sur l'appareil" / "Free space on the device",
    free_space_low: "libérez de la place avant la visite" / "free some space before the visit",
    no_backup: "Pas encore de sauvegarde : touchez « Sauvegarder mes données »" / "No backup yet: tap “Back up my data”",
    backup_now: "Sauvegarder mes données" / "Back up my data",
    erase_title: "Effacer mes données de cet appareil" / "Erase my data from this device",
    erase_what: "Vos fiches, vos notes, votre marche et les positions relevées seront effacées de cet appareil. On ne pourra pas les retrouver." / "Your worksheets, notes, walk and recorded positions will be erased from this device. They cannot be brought back.",
    erase_backup_first: "Pour les garder, faites d'abord une sauvegarde." / "To keep them, make a backup first.",
    erase_confirm: "Oui, tout effacer" / "Yes, erase everything",
    erase_cancel: "Non, garder mes données" / "No, keep my data",
    erase_done: "Vos données ont été effacées de cet appareil." / "Your data has been erased from this device.",
    erase_failed: "Rien n'a été effacé :" / "Nothing was erased:",
    send_one: "Transmettre cette fiche" / "Hand over this worksheet",
    send_all: "Transmettre toutes mes fiches" / "Hand over all my worksheets",
    send_hint: "Sur l'autre appareil, ouvrez Plus → Banque de projets → « Recevoir des fiches ». Puis photographiez chaque code." / "On the other device, open More → Project bank → “Receive worksheets”. Then take a photo of each code.",
    code: "Code" / "Code",
    previous: "◀ Précédent" / "◀ Previous",
    next_code: "Suivant ▶" / "Next ▶",
    save_files: "Enregistrer en fichiers" / "Save as files",
    print: "Imprimer" / "Print",
    receive: "Recevoir des fiches" / "Receive worksheets",
    receive_hint: "Photographiez chaque code affiché sur l'autre appareil. Un par un, dans n'importe quel ordre." / "Take a photo of each code shown on the other device. One by one, in any order.",
    take_photo: "Photographier un code" / "Take a photo of a code",
    codes_read: "Codes lus :" / "Codes read:",
    next_photo: "Photographiez le code suivant." / "Take a photo of the next code.",
    read_again: "Oublier ces codes et recommencer" / "Forget these codes and start again",
    no_code_in_photo: "Aucun code Parcours sur cette photo. Approchez-vous et évitez les reflets." / "No Parcours code in this photo. Come closer and avoid reflections.",
    received: "Fiches reçues et enregistrées :" / "Worksheets received and saved:",
    restarted: "Ce code vient d'un autre envoi : on recommence avec lui." / "This code is from another set: starting again with it.",
    from_files: "Depuis des fichiers" / "From files",
    open_files: "Ouvrir des fichiers de fiches (.json)" / "Open worksheet files (.json)",
    added: "ajoutées" / "added",
    disk_full: "la mémoire de l'appareil est pleine. Libérez de la place (photos, vidéos) : l'enregistrement reprendra tout seul. Votre texte reste à l'écran." / "the device's storage is full. Free some space (photos, videos): saving will resume by itself. Your text stays on screen.",
    read_only: "cet appareil ne permet pas d'enregistrer ici (lecture seule)." / "this device does not allow saving here (read-only).",
    data_temporary: "Ce navigateur ne garde rien pour Parcours. C'est peut-être une fenêtre privée. Vos fiches et notes s'effacent quand la page se ferme. Pour les garder, sauvegardez-les ou transmettez-les avant de fermer." / "This browser keeps nothing for Parcours. It may be a private window. Your worksheets and notes are erased when the page closes. To keep them, back them up or hand them over before closing.",
    data_elsewhere: "Parcours est déjà ouvert dans un autre onglet : vos fiches et notes y sont gardées. Ici, rien ne sera gardé. Fermez cet onglet et revenez à l'autre." / "Parcours is already open in another tab: your worksheets and notes are kept there. Nothing will be kept here. Close this tab and go back to the other one.",
    data_gone: "Les fiches et notes gardées dans ce navigateur ont été effacées. Le navigateur ou un nettoyage du site les a effacées. Parcours repart à zéro." / "The worksheets and notes kept in this browser were erased. The browser or a clean-up of the site erased them. Parcours starts afresh.",
    ok: "J'ai compris" / "Understood",
    update_ready: "Une nouvelle version de Parcours est prête." / "A new version of Parcours is ready.",
    update_now: "Nouvelle version — mettre à jour" / "New version — update",
    ready_offline_copy: "L'appli est gardée pour marcher sans réseau" / "The app is kept to work with no network",
    ready_no_offline_copy: "L'appli n'est pas encore gardée pour le hors-ligne : rouvrez-la une fois avec du réseau" / "The app is not kept offline yet: open it once more with a network",
    ready_persisted: "Le navigateur a promis de garder vos données" / "The browser has promised to keep your data",
    ready_not_persisted: "Le navigateur peut effacer vos données s'il manque de place. Installez Parcours sur l'écran d'accueil et sauvegardez" / "The browser may erase your data when short of space. Install Parcours on the home screen and back up",
    ready_version: "version" / "version",
    visits: "Mes visites" / "My visits",
    visits_hint: "Ouvrir une autre visite, ou revenir à une autre" / "Open another visit, or go back to one",
    visits_what: "Une visite est un fichier .parcours donné par les organisateurs. Chaque visite garde ses fiches et ses notes." / "A visit is a .parcours file given by the organisers. Each visit keeps its own worksheets and notes.",
    visit_open_file: "Ouvrir une autre visite (fichier .parcours)" / "Open another visit (.parcours file)",
    visit_current: "Visite ouverte" / "Open now",
    visit_switch: "Ouvrir cette visite" / "Open this visit",
    visit_remove: "Retirer de cet appareil" / "Remove from this device",
    visit_remove_ask: "Retirer cette visite ? Ses fiches et ses notes restent sur l'appareil." / "Remove this visit? Its worksheets and notes stay on the device.",
    visit_remove_confirm: "Oui, retirer la visite" / "Yes, remove the visit",
    visit_places: "lieux" / "places",
    visit_opened: "Cette visite est ouverte :" / "This visit is open:",
    visit_replaced: "Elle remplace sa version précédente. Vos fiches et notes sont gardées." / "It replaces its earlier version. Your worksheets and notes are kept.",
    visit_added: "Nouveaux lieux :" / "New places:",
    visit_gone: "Lieux retirés :" / "Places removed:",
    visit_go: "Voir la visite" / "See the visit",
    visit_link_failed: "La visite du lien n'a pas pu être ouverte :" / "The visit of the link could not be opened:",
    visit_link_elsewhere: "elle doit venir de ce site." / "it must come from this site.",
    install: "Installer sur l'écran d'accueil" / "Add to the home screen",
    install_hint: "Pour l'ouvrir sans réseau, comme une appli" / "To open it with no network, like an app",
    install_why: "Installé, Parcours s'ouvre d'un geste, sans réseau. Le téléphone garde vos fiches et notes. Sur iPhone, c'est indispensable. Safari efface les données d'un site non installé après 7 jours sans visite." / "Installed, Parcours opens at a tap, with no network. The phone keeps your worksheets and notes. On an iPhone this is a must. Safari erases a site's data after 7 days without a visit, unless it is installed.",
    install_android: "Android (Chrome)" / "Android (Chrome)",
    install_android_1: "Ouvrez Parcours dans Chrome, avec du réseau (le Wi-Fi de l'accueil suffit)." / "Open Parcours in Chrome, with a network (the welcome Wi-Fi is enough).",
    install_android_2: "Touchez le menu ⋮ en haut à droite." / "Tap the ⋮ menu at the top right.",
    install_android_3: "Touchez « Installer l'application » ou « Ajouter à l'écran d'accueil », puis « Installer »." / "Tap \"Install app\" or \"Add to Home screen\", then \"Install\".",
    install_ios: "iPhone et iPad (Safari)" / "iPhone and iPad (Safari)",
    install_ios_1: "Ouvrez Parcours dans Safari, avec du réseau." / "Open Parcours in Safari, with a network.",
    install_ios_2: "Touchez le bouton Partager (un carré avec une flèche vers le haut)." / "Tap the Share button (a square with an arrow pointing up).",
    install_ios_3: "Touchez « Sur l'écran d'accueil », puis « Ajouter »." / "Tap \"Add to Home Screen\", then \"Add\".",
    install_after: "Ensuite, ouvrez Parcours depuis son icône : il marche sans réseau. Vos données restent sur ce téléphone. Rien n'est envoyé." / "Then open Parcours from its icon: it works with no network. Your data stays on this phone. Nothing is sent.",
    data_read_only: "Vos fiches et notes s'affichent. Mais rien de nouveau ne peut être enregistré. Le dossier des données est en lecture seule." / "Your worksheets and notes are shown. But nothing new can be saved: the data folder is read-only.",
    file_refused: "Fichier refusé, rien n'a été changé :" / "File refused, nothing was changed:",
    updated: "mises à jour" / "updated",
    unchanged: "déjà là" / "already here",
    bank: "Banque de projets" / "Project bank",
    bank_menu_hint: "Rassembler les fiches de tous les groupes" / "Gather every group's worksheets",
    bank_hint: "Les fiches de tous les groupes, par atelier puis par couleur, pour la plénière." / "Every group's worksheets, by workshop then colour, for the plenary.",
    bank_export: "Exporter pour la plénière (CSV)" / "Export for the plenary (CSV)",
    bank_empty: "La banque est vide : recevez des fiches ou ouvrez des fichiers." / "The bank is empty: receive worksheets or open files.",
    from_this_device: "Fiche de cet appareil" / "From this device",
    from_other: "Fiche reçue" / "Received",
    received_read_only: "Fiche reçue d'un autre appareil : vous pouvez la lire, pas la modifier." / "Worksheet received from another device: you can read it, not change it.",
    remove_sheet: "Supprimer cette fiche" / "Remove this worksheet",
    remove_confirm: "Supprimer cette fiche ? Touchez encore pour confirmer. Vous pourrez la remettre." / "Remove this worksheet? Tap again to confirm. You can put it back.",
    removed_title: "Fiches supprimées" / "Removed worksheets",
    removed_hint: "Elles restent sur l'appareil. « Remettre » la replace dans les listes." / "They stay on the device. \"Put back\" returns one to the lists.",
    restore: "Remettre" / "Put back",
    removed_at: "supprimée à" / "removed at",
    other_visits_title: "Fiches d'une autre visite" / "Worksheets from another visit",
    other_visits_hint: "Gardées sur l'appareil et dans la sauvegarde. Elles ne comptent pas dans la banque de cette visite." / "Kept on the device and in the backup. They are not part of this visit's bank.",
    from_other_visit: "d'une autre visite (en bas de la banque de projets)" / "from another visit (at the bottom of the project bank)",
    copies_kept: "gardées à part : elles portaient le numéro d'une de vos fiches" / "kept apart: they carried the number of one of your worksheets",
    refused_dated: "laissées de côté : datées d'après demain, ou trop longues" / "left out: dated after tomorrow, or too long",
    visit: "Visite" / "Visit",
}

#[cfg(test)]
mod tests {
    use parcours_core::pack::easy::{MAX_WORDS, sentences, words};

    use super::{EN, FR};

    /// The interface's own words keep the easy-read rules a program can check, as the pack's easy
    /// texts do: short sentences, no ";" (labels may keep a bracket: "Exporter (CSV)").
    #[test]
    fn the_interfaces_words_are_short_sentences() {
        for words_of in [&FR, &EN] {
            for text in words_of.all() {
                for sentence in sentences(text) {
                    assert!(words(&sentence) <= MAX_WORDS, "{} words: {sentence}", words(&sentence));
                }
                assert!(!text.contains(';'), "{text}");
            }
        }
    }
}
