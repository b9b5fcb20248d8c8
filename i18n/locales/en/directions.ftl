# The way in words, from one stop to the next. { $street }: the street's name ("Avenue de
# Sainte-Croix", "the path"), { $distance }: "250 m".

way-start = Take { $street } for { $distance }
way-straight = go straight on into { $street } for { $distance }
way-left = turn left into { $street } for { $distance }
way-right = turn right into { $street } for { $distance }
way-back = turn back into { $street } for { $distance }
way-at-end = at the end of the street, { $turn }
way-then = {", then "}
way-ahead = the stop is ahead
way-on-left = the stop is on your left
way-on-right = the stop is on your right
way-sentence = { $stretches }; { $end }.
way-only-end = { $end }.
way-unnamed = the path
# A named street as English says it: its name as it is written.
# left out: $kind, $name
way-street = { $street }
distance-m = { $metres }{"\u00A0"}m
distance-km = { $km }{"\u00A0"}km
way-leg-number = { $number }.
way-leg-back = Back:
