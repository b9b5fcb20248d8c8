//! What an address may ask or be: the rules for `?visite=` (a visit to open), `?now=` (a fixed clock)
//! and the web app's own address, one owner for the shells, the interface and the CLI.

/// Why a `?visite=` address is not followed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LinkRefusal {
    /// On another site: a visit comes from the app's own site only.
    Elsewhere,
    /// On the site, but not a `.parcours` file in the app's own folder (or below it).
    NotAVisit,
}

/// Whether the file at `target_path` (a URL's normalized path, on the page's own origin) may be opened
/// from a link on the page at `page_path`: a `.parcours` file in the page's folder or below it, so a
/// link can never make the app read another of the site's files as a visit.
pub fn visit_link(same_origin: bool, page_path: &str, target_path: &str) -> Result<(), LinkRefusal> {
    if !same_origin {
        return Err(LinkRefusal::Elsewhere);
    }
    let folder = &page_path[..page_path.rfind('/').map_or(0, |i| i + 1)];
    let inside = target_path.strip_prefix(folder).filter(|rest| !rest.is_empty());
    let is_visit = inside.is_some_and(|rest| {
        rest.ends_with(".parcours")
            && !rest.split('/').any(|part| part.is_empty() || part == ".." || part == ".")
            && !rest.contains(['%', '\\', '?', '#'])
    });
    if is_visit { Ok(()) } else { Err(LinkRefusal::NotAVisit) }
}

/// Whether `host` (a URL's host name, without its port) is this machine: the only place where a web
/// app's address may be plain `http://` (`parcours publish`, the booklet's QR code), and where `?now=`
/// may set the clock (the tests, a demonstration; on a published site a link could stamp worksheets
/// years ahead).
pub fn on_this_machine(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_a_visit_of_the_app_s_own_folder_only() {
        assert_eq!(visit_link(true, "/parcours/", "/parcours/ville.parcours"), Ok(()));
        assert_eq!(visit_link(true, "/parcours/index.html", "/parcours/visites/ville.parcours"), Ok(()));
        assert_eq!(visit_link(false, "/", "/ville.parcours"), Err(LinkRefusal::Elsewhere));
        for target in [
            "/autre/ville.parcours",
            "/parcours/index.html",
            "/parcours/",
            "/parcours/a%2Fb.parcours",
            "/parcours//x.parcours",
        ] {
            assert_eq!(visit_link(true, "/parcours/", target), Err(LinkRefusal::NotAVisit), "{target}");
        }
    }

    #[test]
    fn this_machine_only() {
        assert!(on_this_machine("127.0.0.1") && on_this_machine("localhost") && on_this_machine("[::1]"));
        assert!(!on_this_machine("parcours.example.org") && !on_this_machine("localhost.example.org"));
    }
}
