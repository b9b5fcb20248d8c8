# Dates and times as people say them.

weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
# "Thursday 3 October 2024"
long-date = { $weekday } { $day } { $month } { $year }
# "03/10/2024" ($day and $month in two digits)
numeric-date = { $day }/{ $month }/{ $year }
# "10:00"
time-on-the-hour = { $hour }:00
# "9:50" ($minute in two digits)
time = { $hour }:{ $minute }
# "03/10/2024 10:30", in figures (files, lists)
numeric-date-time = { $day }/{ $month }/{ $year } { $hour }:{ $minute }
# "Thursday 3 October 2024, 9:00 – 16:30"
day-when = { $date }, { $start } – { $end }
