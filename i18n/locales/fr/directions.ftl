# Le chemin en mots, d'une étape à la suivante. { $street } : la rue avec son article (« l'avenue de
# Sainte-Croix », « le chemin »), { $distance } : « 250 m ».

way-start = Prenez { $street } sur { $distance }
way-straight = continuez tout droit dans { $street } sur { $distance }
way-left = tournez à gauche dans { $street } sur { $distance }
way-right = tournez à droite dans { $street } sur { $distance }
way-back = faites demi-tour dans { $street } sur { $distance }
# Devant un virage, au bout d'une rue : « au bout de la rue, tournez à gauche … »
way-at-end = au bout de la rue, { $turn }
way-then = {", puis "}
way-ahead = l'étape est devant vous
way-on-left = l'étape est à gauche
way-on-right = l'étape est à droite
# Les morceaux du chemin, puis où est l'étape : « Prenez …, puis … ; l'étape est à droite. »
way-sentence = { $stretches } ; { $end }.
way-only-end = { $end }.
# Une rue sans nom.
way-unnamed = le chemin
# Une rue nommée, avec l'article de son genre de voie : { $kind } le premier mot du nom en minuscules,
# sans accents (« avenue », « allee »), { $name } le nom avec ce mot en minuscules (« avenue de
# Sainte-Croix »), { $street } le nom tel qu'il est écrit, pour un nom qui ne commence pas par un genre
# de voie (« Fronton de Sainte-Croix »).
way-street = { $kind ->
    [avenue] l'{ $name }
    [allee] l'{ $name }
    [impasse] l'{ $name }
    [esplanade] l'{ $name }
    [rue] la { $name }
    [place] la { $name }
    [route] la { $name }
    [residence] la { $name }
    [voie] la { $name }
    [rocade] la { $name }
    [passerelle] la { $name }
    [promenade] la { $name }
    [cite] la { $name }
    [boulevard] le { $name }
    [chemin] le { $name }
    [quai] le { $name }
    [cours] le { $name }
    [passage] le { $name }
    [square] le { $name }
    [parvis] le { $name }
    [pont] le { $name }
    [sentier] le { $name }
    [rond-point] le { $name }
   *[other] { $street }
}
distance-m = { $metres }{"\u00A0"}m
distance-km = { $km }{"\u00A0"}km
# La liste des étapes d'un parcours (parcours directions) : « 1. », puis « Retour : » pour le chemin du retour.
way-leg-number = { $number }.
way-leg-back = Retour :
