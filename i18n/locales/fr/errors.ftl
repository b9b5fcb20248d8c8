# Ce qu'une erreur veut dire pour la personne, une phrase par code d'erreur (`core::wire::ErrorCode`).
# Le détail technique, s'il y en a un, est montré à part, plus petit.

error-not-found = Le fichier est introuvable.
error-not-a-pack = Ce fichier n'est pas une visite Parcours.
error-too-new = Ce fichier vient d'une version plus récente de Parcours. Mettez l'appli à jour.
error-too-old = Ce fichier vient d'une version trop ancienne de Parcours.
error-corrupt = Ce fichier est abîmé.
error-io = Le fichier n'a pas pu être lu ou écrit.
error-sqlite = Les données n'ont pas pu être lues ou écrites.
error-disk-full = La mémoire de l'appareil est pleine. Libérez de la place (photos, vidéos).
error-read-only = Cet appareil ne permet pas d'enregistrer ici (lecture seule).
error-cannot-open = Le fichier n'a pas pu être ouvert.
error-busy = L'appli est occupée. Réessayez dans un instant.
error-internal = Une erreur de l'appli. Réessayez, ou redémarrez l'appli.
error-no-data-dir = Aucun dossier pour garder vos données sur cet appareil.
error-no-resources = Des fichiers de l'appli manquent. Réinstallez Parcours.
error-bad-request = L'appli a fait une demande incorrecte.
error-unknown-command = Cette action n'existe pas dans cette version de l'appli.
error-unknown-route = Ce parcours n'existe pas dans cette visite.
error-unknown-stop = Cette étape n'existe pas dans cette visite.
error-unknown-worksheet = Cette fiche n'existe pas sur l'appareil.
error-no-streets = Cette visite n'a pas de plan des rues.
error-no-position = Pas de position récente : attendez le point bleu sur la carte.
error-simulated = Marche simulée : aucune position n'est enregistrée.
error-bad-replay = La marche à rejouer n'a pas pu être lue.
error-no-code = Aucun code Parcours sur cette photo. Approchez-vous et évitez les reflets.
error-not-parcours = Ce code ne vient pas de Parcours.
error-too-long = C'est trop long pour être gardé.
error-unreadable = Cette image n'a pas pu être lue.
error-damaged-code = Ce code est abîmé. Reprenez la photo.
error-bad-file = Ce fichier n'est pas un fichier de fiches Parcours.
error-no-shell = L'appli ne répond pas. Rechargez la page.
error-bad-reply = L'appli a donné une réponse illisible.
error-ipc = L'appli ne répond pas. Rechargez la page.
error-other = Quelque chose n'a pas marché.
