package calendar

import "time"

// This file holds the holidays slakit carries itself: those created by law after rickar/cal's
// data was written, the optional days a set names besides its public holidays, and the whole
// Portuguese set, which rickar/cal lacks. Every entry names its source and its first year.

// lawHoliday is a holiday rule of slakit's own.
type lawHoliday struct {
	name   string
	month  time.Month // 0: a day relative to Easter Sunday
	day    int        // day of the month, or days after Easter Sunday when month is 0
	from   int        // first year it applies
	until  int        // last year it applies; 0: no end
	source string     // the law, decree or custom that makes it a day off
}

// date returns the day number of h in year y.
func (h *lawHoliday) date(y int) int64 {
	if h.month == 0 {
		return easter(y) + int64(h.day)
	}
	return daysFromCivil(int64(y), int(h.month), h.day)
}

// easter returns the day number of Easter Sunday of year y in the Gregorian calendar (the
// anonymous Gregorian algorithm, as in Meeus's Astronomical Algorithms).
func easter(y int) int64 {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return daysFromCivil(int64(y), month, day)
}

var (
	brConscienciaNegra = &lawHoliday{name: "Dia Nacional de Zumbi e da Consciência Negra", month: time.November, day: 20,
		from: 2024, source: "Lei 14.759/2023 (national holiday from 2024)"}
	brCarnavalMonday = &lawHoliday{name: "Carnaval (segunda-feira)", day: -48, from: holidayFrom,
		source: "ponto facultativo in the federal government's yearly list of holidays and optional days"}
	itSanFrancesco = &lawHoliday{name: "San Francesco d'Assisi", month: time.October, day: 4,
		from: 2026, source: "Legge 8 ottobre 2025, n. 151 (amends art. 2 of Legge 260/1949; from 2026)"}
	deBerlinBefreiung2020 = &lawHoliday{name: "75. Jahrestag der Befreiung vom Nationalsozialismus", month: time.May, day: 8,
		from: 2020, until: 2020, source: "Berlin Feiertagsgesetz, amendment of 2019 (one-off holiday)"}
	deBerlinBefreiung2025 = &lawHoliday{name: "80. Jahrestag der Befreiung vom Nationalsozialismus", month: time.May, day: 8,
		from: 2025, until: 2025, source: "Berlin Feiertagsgesetz, amendment of 2024 (one-off holiday)"}
	deMVFrauentag = &lawHoliday{name: "Internationaler Frauentag", month: time.March, day: 8,
		from: 2023, source: "Feiertagsgesetz Mecklenburg-Vorpommern, amendment of 2022 (from 2023)"}
)

// The Portuguese holidays: Código do Trabalho (Lei 7/2009) art. 234; Lei 8/2016 restored
// Corpo de Deus, 5 October, 1 November and 1 December, suspended 2013-2015, from 2016.
var ptHolidays = []*lawHoliday{
	{name: "Ano Novo", month: time.January, day: 1, from: holidayFrom, source: "Código do Trabalho, art. 234"},
	{name: "Sexta-feira Santa", day: -2, from: holidayFrom, source: "Código do Trabalho, art. 234"},
	{name: "Páscoa", day: 0, from: holidayFrom, source: "Código do Trabalho, art. 234"},
	{name: "Dia da Liberdade", month: time.April, day: 25, from: 1975, source: "Código do Trabalho, art. 234"},
	{name: "Dia do Trabalhador", month: time.May, day: 1, from: holidayFrom, source: "Código do Trabalho, art. 234"},
	{name: "Corpo de Deus", day: 60, from: 2016, source: "Lei 8/2016"},
	{name: "Dia de Portugal, de Camões e das Comunidades Portuguesas", month: time.June, day: 10, from: holidayFrom, source: "Código do Trabalho, art. 234"},
	{name: "Assunção de Nossa Senhora", month: time.August, day: 15, from: holidayFrom, source: "Código do Trabalho, art. 234"},
	{name: "Implantação da República", month: time.October, day: 5, from: 2016, source: "Lei 8/2016"},
	{name: "Dia de Todos os Santos", month: time.November, day: 1, from: 2016, source: "Lei 8/2016"},
	{name: "Restauração da Independência", month: time.December, day: 1, from: 2016, source: "Lei 8/2016"},
	{name: "Imaculada Conceição", month: time.December, day: 8, from: holidayFrom, source: "Código do Trabalho, art. 234"},
	{name: "Natal", month: time.December, day: 25, from: holidayFrom, source: "Código do Trabalho, art. 234"},
}
