# Les mots des fichiers et des pages que Parcours écrit : fiches lisibles, exports.

readable-untitled = Sans titre
readable-workshop = Atelier
readable-colour = Couleur
readable-not-chosen = pas choisie
readable-updated = Mise à jour
# Le CSV de la banque de projets : ses premières colonnes.
csv-workshop = Atelier
csv-colour = Couleur
csv-title = Titre
csv-file = Fichier
# Un parcours en GPX.
gpx-unplaced = {" "}— position à confirmer : { $stops }
gpx-on-foot = { $route } — à pied
