package calendar

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every holiday slakit carries itself names its source and first year.
func TestSupplementCited(t *testing.T) {
	n := 0
	for _, s := range holidaySets {
		for _, h := range s.own {
			n++
			assert.NotEmpty(t, h.name, "%s: a holiday without a name", s.code)
			assert.NotEmpty(t, h.source, "%s: %s has no source", s.code, h.name)
			assert.GreaterOrEqual(t, h.from, holidayFrom, "%s: %s has no first year", s.code, h.name)
			if h.until != 0 {
				assert.GreaterOrEqual(t, h.until, h.from, "%s: %s ends before it starts", s.code, h.name)
			}
		}
	}
	assert.Greater(t, n, 15)
}

func TestSupplementDates(t *testing.T) {
	tests := []struct {
		code string
		name string
		y    int
		want string // "" when not a holiday that year
	}{
		{"br", "Dia Nacional de Zumbi e da Consciência Negra", 2023, ""},
		{"br", "Dia Nacional de Zumbi e da Consciência Negra", 2024, "2024-11-20"},
		{"br-national", "Dia Nacional de Zumbi e da Consciência Negra", 2030, "2030-11-20"},
		{"br", "Carnaval (segunda-feira)", 2026, "2026-02-16"},
		{"it", "San Francesco d'Assisi", 2025, ""},
		{"it", "San Francesco d'Assisi", 2026, "2026-10-04"},
		{"de-be", "80. Jahrestag der Befreiung vom Nationalsozialismus", 2025, "2025-05-08"},
		{"de-be", "80. Jahrestag der Befreiung vom Nationalsozialismus", 2026, ""},
		{"de-mv", "Internationaler Frauentag", 2022, ""},
		{"de-mv", "Internationaler Frauentag", 2023, "2023-03-08"},
		{"pt", "Corpo de Deus", 2015, ""},
		{"pt", "Corpo de Deus", 2026, "2026-06-04"},
		{"pt", "Sexta-feira Santa", 2027, "2027-03-26"},
	}
	for _, tt := range tests {
		t.Run(tt.code+" "+tt.name, func(t *testing.T) {
			set, ok := lookupSet(tt.code)
			require.True(t, ok)
			var got []string
			for _, cl := range appendSet(nil, set, tt.code) {
				if cl.name == tt.name && cl.day >= daysFromCivil(int64(tt.y), 1, 1) && cl.day < daysFromCivil(int64(tt.y)+1, 1, 1) {
					got = append(got, time.Unix(cl.day*daySecs, 0).UTC().Format(time.DateOnly))
				}
			}
			if tt.want == "" {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, []string{tt.want}, got)
			}
		})
	}
}

// The computus against published Easter dates.
func TestEaster(t *testing.T) {
	for y, want := range map[int]string{1970: "1970-03-29", 2000: "2000-04-23", 2019: "2019-04-21", 2024: "2024-03-31",
		2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25", 2099: "2099-04-12"} {
		assert.Equal(t, want, time.Unix(easter(y)*daySecs, 0).UTC().Format(time.DateOnly), "easter(%d)", y)
	}
}

func TestSetTable(t *testing.T) {
	codes := HolidaySets()
	assert.True(t, slices.IsSorted(codes))
	assert.Len(t, slices.Compact(slices.Clone(codes)), len(codes), "a code twice")
	for _, s := range holidaySets {
		assert.NotEmpty(t, len(s.rules)+len(s.own), "%s is empty", s.code)
	}
}
