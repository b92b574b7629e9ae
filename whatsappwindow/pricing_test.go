package whatsappwindow_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ww "github.com/slakit/slakit/whatsappwindow"
)

func TestPriceHint(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	const (
		free     = "free_customer_service"
		regular  = "regular"
		fep      = "free_entry_point"
		cbp, pmp = ww.ModelCBP, ww.ModelPMP
	)
	tests := []struct {
		name      string
		sent      ww.Category
		at        time.Time
		window    bool
		freeEntry bool
		want      ww.Price
		err       error
	}{
		// Per-message pricing, 2025-07-01 to 2026-09-30.
		{"pmp service in window", ww.CategoryService, day(2025, 7, 1), true, false, ww.Price{pmp, free, ww.CategoryService, false}, nil},
		{"pmp service outside window", ww.CategoryService, day(2025, 7, 1), false, false, ww.Price{}, ww.ErrTemplateRequired},
		{"pmp utility in window", ww.CategoryUtility, day(2026, 1, 15), true, false, ww.Price{pmp, free, ww.CategoryUtility, false}, nil},
		{"pmp utility outside window", ww.CategoryUtility, day(2026, 1, 15), false, false, ww.Price{pmp, regular, ww.CategoryUtility, true}, nil},
		{"pmp marketing in window", ww.CategoryMarketing, day(2026, 1, 15), true, false, ww.Price{pmp, regular, ww.CategoryMarketing, true}, nil},
		{"pmp marketing lite", ww.CategoryMarketingLite, day(2026, 1, 15), false, false, ww.Price{pmp, regular, ww.CategoryMarketingLite, true}, nil},
		{"pmp authentication", ww.CategoryAuthentication, day(2026, 1, 15), true, false, ww.Price{pmp, regular, ww.CategoryAuthentication, true}, nil},
		{"pmp authentication international", ww.CategoryAuthenticationInternational, day(2026, 1, 15), false, false,
			ww.Price{pmp, regular, ww.CategoryAuthenticationInternational, true}, nil},
		{"pmp marketing in free entry point", ww.CategoryMarketing, day(2026, 1, 15), false, true,
			ww.Price{pmp, fep, ww.CategoryReferralConversion, false}, nil},
		// From 2026-10-01.
		{"2026-10 service in window is charged", ww.CategoryService, day(2026, 10, 1), true, false, ww.Price{pmp, regular, ww.CategoryService, true}, nil},
		{"2026-10 utility in window is charged", ww.CategoryUtility, day(2026, 10, 1), true, false, ww.Price{pmp, regular, ww.CategoryUtility, true}, nil},
		{"2026-10 free entry point stays free", ww.CategoryService, day(2026, 10, 1), true, true,
			ww.Price{pmp, fep, ww.CategoryReferralConversion, false}, nil},
		{"2026-10 service outside window", ww.CategoryService, day(2026, 10, 1), false, true, ww.Price{}, ww.ErrTemplateRequired},
		// The boundary is the civil date in at's zone.
		{"2026-09-30 23:30 in Sao Paulo is still the old table", ww.CategoryService,
			time.Date(2026, 9, 30, 23, 30, 0, 0, sp), true, false, ww.Price{pmp, free, ww.CategoryService, false}, nil},
		{"the same instant in UTC is the new table", ww.CategoryService,
			time.Date(2026, 9, 30, 23, 30, 0, 0, sp).UTC(), true, false, ww.Price{pmp, regular, ww.CategoryService, true}, nil},
		{"2026-10-01 00:00 in Sao Paulo is the new table", ww.CategoryUtility,
			time.Date(2026, 10, 1, 0, 0, 0, 0, sp), true, false, ww.Price{pmp, regular, ww.CategoryUtility, true}, nil},
		// Conversation-based pricing, for history.
		{"cbp 2022 reply in window", ww.CategoryService, day(2022, 2, 1), true, false, ww.Price{cbp, "", ww.CategoryUserInitiated, true}, nil},
		{"cbp 2022 template outside", ww.CategoryUtility, day(2023, 5, 31), false, false, ww.Price{cbp, "", ww.CategoryBusinessInitiated, true}, nil},
		{"cbp 2022 template in window", ww.CategoryMarketing, day(2022, 6, 1), true, false, ww.Price{cbp, "", ww.CategoryUserInitiated, true}, nil},
		{"cbp 2022 free entry point", ww.CategoryService, day(2022, 6, 1), true, true, ww.Price{cbp, "", ww.CategoryReferralConversion, false}, nil},
		{"cbp 2023 service charged", ww.CategoryService, day(2023, 6, 1), true, false, ww.Price{cbp, "", ww.CategoryService, true}, nil},
		{"cbp 2023 utility charged", ww.CategoryUtility, day(2024, 1, 1), true, false, ww.Price{cbp, "", ww.CategoryUtility, true}, nil},
		{"cbp 2024-11 service free", ww.CategoryService, day(2024, 11, 1), true, false, ww.Price{cbp, "", ww.CategoryService, false}, nil},
		{"cbp 2024-11 utility in window charged", ww.CategoryUtility, day(2025, 3, 31), true, false, ww.Price{cbp, "", ww.CategoryUtility, true}, nil},
		{"cbp 2025-04 utility in window free", ww.CategoryUtility, day(2025, 4, 1), true, false, ww.Price{cbp, "", ww.CategoryUtility, false}, nil},
		{"cbp 2025-04 utility outside charged", ww.CategoryUtility, day(2025, 6, 30), false, false, ww.Price{cbp, "", ww.CategoryUtility, true}, nil},
		// Errors.
		{"before conversation pricing", ww.CategoryMarketing, day(2022, 1, 31), false, false, ww.Price{}, ww.ErrNoPricing},
		{"unknown category", ww.Category("promo"), day(2026, 1, 1), true, false, ww.Price{}, ww.ErrUnknownCategory},
		{"referral conversion is an outcome, not an input", ww.CategoryReferralConversion, day(2026, 1, 1), true, true, ww.Price{}, ww.ErrUnknownCategory},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ww.PriceHint(tc.sent, tc.at, tc.window, tc.freeEntry)
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err, "PriceHint(%q, %v, %v, %v) error = %v, want %v", tc.sent, tc.at, tc.window, tc.freeEntry, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got, "PriceHint(%q, %v, %v, %v) = %+v, want %+v", tc.sent, tc.at, tc.window, tc.freeEntry, got, tc.want)
		})
	}
}

func TestPriceHintErrorText(t *testing.T) {
	_, err := ww.PriceHint("promo", t0, true, false)
	assert.EqualError(t, err, `whatsappwindow: unknown pricing category: "promo"`)
	_, err = ww.PriceHint(ww.CategoryMarketing, time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC), true, false)
	assert.EqualError(t, err, "whatsappwindow: no pricing model for that date: 2021-12-31")
	_, err = ww.PriceHint(ww.CategoryService, t0, false, false)
	assert.EqualError(t, err, "whatsappwindow: outside the customer service window a template is required")
}
