package whatsappwindow

import (
	"fmt"
	"time"
)

// Category is a pricing category, spelled as Meta spells pricing.category
// in status webhooks. A template's category is the price class of the
// message; non-template (free-form) messages are [CategoryService].
type Category string

// Pricing categories.
const (
	CategoryService                     Category = "service"
	CategoryUtility                     Category = "utility"
	CategoryMarketing                   Category = "marketing"
	CategoryMarketingLite               Category = "marketing_lite"
	CategoryAuthentication              Category = "authentication"
	CategoryAuthenticationInternational Category = "authentication_international"
	// CategoryReferralConversion is the category of messages sent inside a
	// free entry point window.
	CategoryReferralConversion Category = "referral_conversion"
	// CategoryUserInitiated and CategoryBusinessInitiated are the two
	// conversation categories of conversation-based pricing before
	// 2023-06-01.
	CategoryUserInitiated     Category = "user_initiated"
	CategoryBusinessInitiated Category = "business_initiated"
)

// Model is a pricing model, spelled as pricing.pricing_model.
type Model string

// Pricing models.
const (
	// ModelCBP is conversation-based pricing (2022-02-01 to 2025-06-30): one
	// charge per 24-hour conversation and category.
	ModelCBP Model = "CBP"
	// ModelPMP is per-message pricing (from 2025-07-01): one charge per
	// delivered template, by category.
	ModelPMP Model = "PMP"
)

// Price is the pricing hint for one business message.
type Price struct {
	// Model is the pricing model in force.
	Model Model
	// Type is the pricing.type a status webhook should report under
	// per-message pricing ("regular", "free_customer_service",
	// "free_entry_point"); empty under conversation-based pricing.
	Type string
	// Category is the pricing.category a status webhook should report.
	Category Category
	// Charged reports whether the message is billable. Under
	// conversation-based pricing the charge is per conversation, so it
	// reports whether the conversation the message belongs to is billable.
	// Monthly free allowances and volume tiers are not modelled.
	Charged bool
}

// date is a civil date, compared in the caller's time zone.
type date struct {
	y int
	m time.Month
	d int
}

func (a date) after(b date) bool {
	if a.y != b.y {
		return a.y > b.y
	}
	if a.m != b.m {
		return a.m > b.m
	}
	return a.d > b.d
}

// era is one row of the pricing timeline: the rules in force from a date on.
type era struct {
	from                date
	model               Model
	byTemplate          bool // conversations split by template category (from 2023-06-01)
	serviceFree         bool // free-form replies inside the window are free
	utilityFreeInWindow bool // utility templates inside the window are free
}

// eras is the pricing timeline, oldest first. Meta changes prices on the
// first day of a quarter; add a row, never edit a past one.
var eras = [...]era{
	{from: date{2022, time.February, 1}, model: ModelCBP},
	{from: date{2023, time.June, 1}, model: ModelCBP, byTemplate: true},
	{from: date{2024, time.November, 1}, model: ModelCBP, byTemplate: true, serviceFree: true},
	{from: date{2025, time.April, 1}, model: ModelCBP, byTemplate: true, serviceFree: true, utilityFreeInWindow: true},
	{from: date{2025, time.July, 1}, model: ModelPMP, byTemplate: true, serviceFree: true, utilityFreeInWindow: true},
	{from: date{2026, time.October, 1}, model: ModelPMP, byTemplate: true},
}

// eraAt returns the era in force on the civil date of at in at's location.
func eraAt(at time.Time) (era, bool) {
	y, m, d := at.Date()
	today := date{y, m, d}
	for i := len(eras) - 1; i >= 0; i-- {
		if !eras[i].from.after(today) {
			return eras[i], true
		}
	}
	return era{}, false
}

// PriceHint returns how Meta should price a business message of category
// sent (CategoryService for free-form) sent at the instant at, given
// whether the customer service window and a free entry point window are
// open then (see [Verdict.FreeForm] and [Verdict.FreeEntryPoint]).
//
// Meta switches prices at midnight in the WhatsApp Business Account's time
// zone: pass at in that zone (at.In(loc)); the effective dates are compared
// with at's civil date in at's own location. The hint is an estimate;
// the status webhook's pricing object is the truth.
//
// A free-form message outside the window gets [ErrTemplateRequired]; an
// unknown category [ErrUnknownCategory]; a date before 2022-02-01
// [ErrNoPricing].
func PriceHint(sent Category, at time.Time, window, freeEntry bool) (Price, error) {
	switch sent {
	case CategoryService, CategoryUtility, CategoryMarketing, CategoryMarketingLite,
		CategoryAuthentication, CategoryAuthenticationInternational:
	default:
		return Price{}, fmt.Errorf("%w: %q", ErrUnknownCategory, string(sent))
	}
	if sent == CategoryService && !window {
		return Price{}, ErrTemplateRequired
	}
	e, ok := eraAt(at)
	if !ok {
		return Price{}, fmt.Errorf("%w: %s", ErrNoPricing, at.Format(time.DateOnly))
	}
	p := Price{Model: e.model}
	switch {
	case freeEntry:
		p.Category = CategoryReferralConversion
		p.Type = "free_entry_point"
	case !e.byTemplate:
		p.Category = CategoryBusinessInitiated
		if window {
			p.Category = CategoryUserInitiated
		}
		p.Charged = true
	case sent == CategoryService:
		p.Category = sent
		p.Charged = !e.serviceFree
	case sent == CategoryUtility:
		p.Category = sent
		p.Charged = !(window && e.utilityFreeInWindow)
	default:
		p.Category = sent
		p.Charged = true
	}
	if e.model == ModelCBP {
		p.Type = ""
	} else if p.Type == "" {
		p.Type = "regular"
		if !p.Charged {
			p.Type = "free_customer_service"
		}
	}
	return p, nil
}
