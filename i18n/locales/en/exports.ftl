# The words of the files and pages Parcours writes: readable worksheets, exports.

readable-untitled = Untitled
readable-workshop = Workshop
readable-colour = Colour
readable-not-chosen = not chosen
readable-updated = Updated
# The project bank's CSV: its first columns.
csv-workshop = Workshop
csv-colour = Colour
csv-title = Title
csv-file = File
# A route as GPX.
gpx-unplaced = {" "}— position to be confirmed: { $stops }
gpx-on-foot = { $route } — on foot
