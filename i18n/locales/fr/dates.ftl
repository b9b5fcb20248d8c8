# Les dates et les heures, comme on les dit. L'heure ne se coupe jamais entre deux lignes : les
# espaces y sont insécables ({"\u00A0"}).

weekday-1 = lundi
weekday-2 = mardi
weekday-3 = mercredi
weekday-4 = jeudi
weekday-5 = vendredi
weekday-6 = samedi
weekday-7 = dimanche
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
# « jeudi 3 octobre 2024 »
long-date = { $weekday } { $day } { $month } { $year }
# « 03/10/2024 » ($day et $month sur deux chiffres)
numeric-date = { $day }/{ $month }/{ $year }
# « 10 h »
time-on-the-hour = { $hour }{"\u00A0"}h
# « 9 h 50 » ($minute sur deux chiffres)
time = { $hour }{"\u00A0"}h{"\u00A0"}{ $minute }
# "03/10/2024 10:30", in figures (files, lists)
numeric-date-time = { $day }/{ $month }/{ $year } { $hour }:{ $minute }
# « jeudi 3 octobre 2024, 9 h – 16 h 30 »
day-when = { $date }, { $start } – { $end }
