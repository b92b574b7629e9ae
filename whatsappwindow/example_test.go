package whatsappwindow_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/slakit/slakit/whatsappwindow"
)

func ExampleTracker_Verdict() {
	tr, err := whatsappwindow.New(whatsappwindow.DefaultConfig())
	if err != nil {
		panic(err)
	}
	saoPaulo, _ := time.LoadLocation("America/Sao_Paulo")
	k := whatsappwindow.Key{Business: "106540352242922", User: "5511987654321"}
	msg := time.Date(2026, 3, 2, 9, 0, 0, 0, saoPaulo)

	var w whatsappwindow.Window // stored by the host, one per key
	_, err = tr.Observe(&w, whatsappwindow.Observation{
		Key: k, Kind: whatsappwindow.UserMessage, MessageID: "wamid.1", At: msg,
	}, msg.Add(3*time.Second))
	if err != nil {
		panic(err)
	}
	for _, after := range []time.Duration{time.Hour, 22 * time.Hour, 23*time.Hour + 59*time.Minute, 24 * time.Hour} {
		at := msg.Add(after)
		v := tr.Verdict(w, at)
		fmt.Printf("%s %-12s free-form=%-5v closes %s, %v left\n",
			at.In(saoPaulo).Format("Jan 2 15:04"), v.State, v.FreeForm, v.ClosesAt.In(saoPaulo).Format("Jan 2 15:04"), v.Remaining)
	}
	// Output:
	// Mar 2 10:00 open         free-form=true  closes Mar 3 09:00, 23h0m0s left
	// Mar 3 07:00 closing_soon free-form=true  closes Mar 3 09:00, 2h0m0s left
	// Mar 3 08:59 closing_soon free-form=false closes Mar 3 09:00, 1m0s left
	// Mar 3 09:00 expired      free-form=false closes Mar 3 09:00, 0s left
}

func ExampleTracker_Observe_rejection() {
	tr, _ := whatsappwindow.New(whatsappwindow.DefaultConfig())
	k := whatsappwindow.Key{Business: "106540352242922", User: "5511987654321"}
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	var w whatsappwindow.Window
	for _, o := range []whatsappwindow.Observation{
		{Key: k, Kind: whatsappwindow.UserMessage, MessageID: "wamid.in1", At: t0},
		// Meta refused a reply with 131047 although the window is open here.
		{Key: k, Kind: whatsappwindow.Rejection, MessageID: "wamid.out1", At: t0.Add(time.Hour)},
	} {
		if _, err := tr.Observe(&w, o, o.At); err != nil {
			panic(err)
		}
	}
	v := tr.Verdict(w, t0.Add(2*time.Hour))
	fmt.Println(v.State, "template required:", v.TemplateRequired)

	// A newer user message lifts the rejection.
	_, _ = tr.Observe(&w, whatsappwindow.Observation{Key: k, Kind: whatsappwindow.UserMessage, MessageID: "wamid.in2", At: t0.Add(3 * time.Hour)}, t0.Add(3*time.Hour))
	v = tr.Verdict(w, t0.Add(3*time.Hour))
	fmt.Println(v.State, "template required:", v.TemplateRequired)
	// Output:
	// rejected template required: true
	// open template required: false
}

func ExampleTracker_Observe_freeEntryPoint() {
	tr, _ := whatsappwindow.New(whatsappwindow.DefaultConfig())
	k := whatsappwindow.Key{Business: "106540352242922", User: "5511987654321"}
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var w whatsappwindow.Window
	for _, o := range []whatsappwindow.Observation{
		{Key: k, Kind: whatsappwindow.UserMessage, MessageID: "wamid.ad", At: t0, Referral: true}, // from a Click to WhatsApp ad
		{Key: k, Kind: whatsappwindow.BusinessMessage, MessageID: "wamid.reply", At: t0.Add(12 * time.Hour)},
	} {
		_, _ = tr.Observe(&w, o, o.At)
	}
	v := tr.Verdict(w, t0.Add(30*time.Hour))
	fmt.Println("state:", v.State, "| free-form:", v.FreeForm)
	fmt.Println("free entry point until:", v.FreeEntryPointUntil.Format(time.RFC3339))
	p, _ := whatsappwindow.PriceHint(whatsappwindow.CategoryMarketing, t0.Add(30*time.Hour), v.FreeForm, v.FreeEntryPoint)
	fmt.Printf("marketing template: %s %s charged=%v\n", p.Type, p.Category, p.Charged)
	// Output:
	// state: expired | free-form: false
	// free entry point until: 2026-03-05T22:00:00Z
	// marketing template: free_entry_point referral_conversion charged=false
}

func ExamplePriceHint() {
	for _, at := range []time.Time{
		time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC),
	} {
		p, err := whatsappwindow.PriceHint(whatsappwindow.CategoryService, at, true, false)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s service reply in the window: model %s, category %s, charged %v\n",
			at.Format(time.DateOnly), p.Model, p.Category, p.Charged)
	}
	_, err := whatsappwindow.PriceHint(whatsappwindow.CategoryService, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), false, false)
	fmt.Println(err, errors.Is(err, whatsappwindow.ErrTemplateRequired))
	// Output:
	// 2024-06-01 service reply in the window: model CBP, category service, charged true
	// 2026-09-30 service reply in the window: model PMP, category service, charged false
	// 2026-10-01 service reply in the window: model PMP, category service, charged true
	// whatsappwindow: outside the customer service window a template is required true
}

func ExampleNew_error() {
	_, err := whatsappwindow.New(whatsappwindow.Config{ClosingSoon: []time.Duration{2 * time.Hour, 30 * time.Hour}})
	fmt.Println(err)
	fmt.Println(errors.Is(err, whatsappwindow.ErrInvalidConfig))
	var ce *whatsappwindow.ConfigError
	if errors.As(err, &ce) {
		fmt.Printf("field %s: %s\n", ce.Field, ce.Msg)
	}
	// Output:
	// whatsappwindow: invalid config: closing_soon[1]: 30h0m0s is longer than the 24h window
	// true
	// field closing_soon[1]: 30h0m0s is longer than the 24h window
}

func ExampleWindow() {
	tr, _ := whatsappwindow.New(whatsappwindow.DefaultConfig())
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var w whatsappwindow.Window
	changed, _ := tr.Observe(&w, whatsappwindow.Observation{
		Key:  whatsappwindow.Key{Business: "106540352242922", User: "5511987654321"},
		Kind: whatsappwindow.UserMessage, MessageID: "wamid.1", At: at,
	}, at)
	b, _ := json.Marshal(w) // what the host stores
	fmt.Println(changed)
	fmt.Println(string(b))
	// Output:
	// true
	// {"key":{"business":"106540352242922","user":"5511987654321"},"last_user_at":"2026-03-02T09:00:00Z","last_user_message_id":"wamid.1","seen":["wamid.1"]}
}
