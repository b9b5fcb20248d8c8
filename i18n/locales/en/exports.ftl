# The words of the files and pages Parcours writes: readable worksheets, exports.

readable-untitled = Untitled
readable-workshop = Workshop
readable-colour = Colour
readable-not-chosen = not chosen
readable-updated = Updated
