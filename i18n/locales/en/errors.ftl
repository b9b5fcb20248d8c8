# What an error means for the person, one sentence per error code (`core::wire::ErrorCode`).
# The technical detail, if any, is shown apart, smaller.

error-not-found = The file cannot be found.
error-not-a-pack = This file is not a Parcours visit.
error-too-new = This file is from a newer version of Parcours. Update the app.
error-too-old = This file is from a version of Parcours that is too old.
error-corrupt = This file is damaged.
error-io = The file could not be read or written.
error-sqlite = The data could not be read or written.
error-disk-full = The device's storage is full. Free some space (photos, videos).
error-read-only = This device does not allow saving here (read-only).
error-cannot-open = The file could not be opened.
error-busy = The app is busy. Try again in a moment.
error-internal = An error in the app. Try again, or restart the app.
error-no-data-dir = No folder to keep your data on this device.
error-no-resources = Some of the app's files are missing. Reinstall Parcours.
error-bad-request = The app made a wrong request.
error-unknown-command = This action does not exist in this version of the app.
error-unknown-route = This route does not exist in this visit.
error-unknown-stop = This stop does not exist in this visit.
error-unknown-worksheet = This worksheet is not on the device.
error-no-streets = This visit has no street map.
error-no-position = No recent position: wait for the blue dot on the map.
error-simulated = Simulated walk: no position is recorded.
error-bad-replay = The walk to replay could not be read.
error-no-code = No Parcours code in this photo. Come closer and avoid reflections.
error-not-parcours = This code does not come from Parcours.
error-too-long = It is too long to be kept.
error-unreadable = This picture could not be read.
error-damaged-code = This code is damaged. Take the photo again.
error-bad-file = This file is not a Parcours worksheet file.
error-no-shell = The app does not answer. Reload the page.
error-bad-reply = The app gave an answer it cannot read.
error-ipc = The app does not answer. Reload the page.
error-other = Something did not work.
