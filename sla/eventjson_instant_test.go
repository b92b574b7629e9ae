package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// instantCases are instants for the test of parseInstant against
// time.Time.UnmarshalText: each range at and past its bounds, leap days,
// offsets of the zones below on both sides of their transitions, and forms
// the shortcut leaves to UnmarshalText.
var instantCases = []string{
	"2026-03-02T09:05:00Z", "2026-03-02T09:05:00-03:00", "2026-03-02T09:05:00+01:00", "2026-03-02T09:05:00+05:30",
	"2026-03-02T09:05:00+00:00", "2026-03-02T09:05:00-00:00", "2026-03-02T09:05:00+23:59", "2026-03-02T09:05:00-23:59",
	"0000-01-01T00:00:00Z", "0000-02-29T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
	"2024-02-29T12:00:00Z", "2000-02-29T12:00:00Z", "1900-02-29T12:00:00Z", "2026-02-29T12:00:00Z", "2026-02-28T23:59:59-03:00",
	"2026-04-31T00:00:00Z", "2026-04-30T00:00:00Z", "2026-12-31T00:00:00Z", "2026-12-32T00:00:00Z", "2026-00-10T00:00:00Z",
	"2026-13-10T00:00:00Z", "2026-03-00T00:00:00Z", "2026-03-02T24:00:00Z", "2026-03-02T23:60:00Z", "2026-03-02T23:59:60Z",
	"2026-03-02T09:05:00+24:00", "2026-03-02T09:05:00+05:60", "2026-03-02T09:05:00*03:00", "2026-03-02T09:05:00+03-00",
	"2026-03-02t09:05:00Z", "2026-03-02T09:05:00z", "2026-03-02 09:05:00Z", "2026-03-02T09:05:00.5Z", "2026-03-02T09:05:00.123456789-03:00",
	"2026-3-02T09:05:00Z", "2026-03-02T9:05:00Z", "2026-03-02T09:05:00+0300", "abcd-03-02T09:05:00Z", "2026-03-02T09:05:00Z ",
	"2026/03/02T09:05:00Z", "2026-03-02T09.05:00Z", "2026-03-02T09:05.00Z", "2026-03-02T09:05:00", "", "2026",
	// America/New_York: EST to EDT at 2026-03-08T07:00Z, back at 2026-11-01T06:00Z.
	"2026-03-08T01:59:59-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T02:30:00-05:00", "2026-03-08T06:59:59Z",
	"2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-01T05:59:59Z", "2026-11-01T06:00:00Z",
	// America/Sao_Paulo: -03:00 to -02:00 at 2018-11-04T03:00Z.
	"2018-11-04T01:00:00-02:00", "2018-11-03T23:30:00-02:00", "2018-11-03T23:59:59-03:00", "2026-03-02T09:05:00-02:00",
	// Europe/Berlin: CET to CEST at 2026-03-29T01:00Z.
	"2026-03-29T01:59:59+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T02:30:00+01:00", "2026-03-29T00:30:00+02:00",
	// Australia/Lord_Howe: +11:00 to +10:30 at 2026-04-04T15:00Z.
	"2026-04-05T01:45:00+11:00", "2026-04-05T01:45:00+10:30", "2026-04-05T02:15:00+11:00", "2026-04-04T15:00:00Z",
}

// TestParseInstant parses each case with parseInstant and with
// UnmarshalText, in several local zones, and wants the same instant in
// the same location, or the same error.
func TestParseInstant(t *testing.T) {
	inLocalZones(t, func(zone string) {
		for _, s := range instantCases {
			checkParseInstant(t, zone, s)
		}
	})
	for _, s := range []string{"2026-03-02T09:05:00Z", "2026-03-02T09:05:00-03:00", "2026-04-05T01:45:00+10:30", "0000-02-29T00:00:00Z"} {
		_, short := parseInstantShort([]byte(s))
		require.True(t, short, "the shortcut takes %q", s)
	}
}

// cacheCases are instants of one date and offset on both sides of a
// transition of the local zone (the location differs), and times of day
// out of range on a date the cache holds.
var cacheCases = []string{
	// Europe/Berlin: CET to CEST at 2026-03-29T01:00Z.
	"2026-03-29T00:30:00+01:00", "2026-03-29T03:30:00+01:00", "2026-03-29T01:59:59+01:00", "2026-03-29T02:00:00+01:00",
	"2026-03-29T03:30:00+02:00", "2026-03-29T01:30:00+02:00", "2026-03-29T00:30:00+01:00",
	// America/New_York: EDT to EST at 2026-11-01T06:00Z.
	"2026-11-01T01:30:00-04:00", "2026-11-01T03:30:00-04:00", "2026-11-01T01:59:59-04:00", "2026-11-01T02:00:00-04:00",
	"2026-11-01T01:30:00-05:00", "2026-11-01T00:30:00-05:00", "2026-11-01T01:30:00-04:00",
	// Australia/Lord_Howe: +11:00 to +10:30 at 2026-04-04T15:00Z.
	"2026-04-05T01:45:00+11:00", "2026-04-05T02:15:00+11:00", "2026-04-05T01:59:59+11:00", "2026-04-05T01:45:00+10:30",
	"2026-04-05T01:15:00+10:30", "2026-04-05T01:45:00+11:00",
	// Out of range on a cached date, and other forms of it.
	"2026-03-29T24:00:00+01:00", "2026-03-29T23:60:00+01:00", "2026-03-29T23:59:60+01:00", "2026-03-29t23:59:59+01:00",
	"2026-03-29T23:59:59+01:00", "2026-03-29T23:59:59Z", "2026-03-29T23:59:59.5Z", "2026-03-29T23:59:59+01:0x",
	"2026-03-29T23:59:59+01:01", "2026-03-29T23:59:59-01:00", "2026-03-29T00:00:00Z", "2026-03-29 00:00:00Z",
}

// TestInstantCache parses every case twice through one cache, in several
// local zones, and wants what UnmarshalText gives each time.
func TestInstantCache(t *testing.T) {
	inLocalZones(t, func(zone string) {
		c := new(instantCache)
		for range 2 {
			for _, s := range append(cacheCases, instantCases...) {
				checkParse(t, zone, s, c.parse)
			}
		}
	})
}

// inLocalZones calls test with time.Local set to each of several zones
// in turn, and sets it back after the test.
func inLocalZones(t *testing.T, test func(zone string)) {
	t.Helper()
	saved := time.Local
	t.Cleanup(func() { time.Local = saved })
	for _, zone := range []string{"UTC", "America/Sao_Paulo", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(zone)
		require.NoError(t, err)
		time.Local = loc
		test(zone)
	}
}

func checkParseInstant(t *testing.T, zone, s string) {
	t.Helper()
	checkParse(t, zone, s, parseInstant)
}

func checkParse(t *testing.T, zone, s string, parse func([]byte) (time.Time, error)) {
	t.Helper()
	var want time.Time
	wantErr := want.UnmarshalText([]byte(s))
	got, err := parse([]byte(s))
	if wantErr != nil {
		require.EqualError(t, err, wantErr.Error(), "parseInstant(%q) in %s", s, zone)
		require.Equal(t, want, got, "parseInstant(%q) in %s", s, zone)
		return
	}
	require.NoError(t, err, "parseInstant(%q) in %s", s, zone)
	require.Equal(t, want, got, "parseInstant(%q) in %s", s, zone) // instant, location and all
	if want.Location() == time.Local || want.Location() == time.UTC {
		require.Same(t, want.Location(), got.Location(), "location of parseInstant(%q) in %s", s, zone)
	}
}

func FuzzParseInstant(f *testing.F) {
	for _, s := range instantCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkParseInstant(t, "the local zone", s)
	})
}

// FuzzInstantCache parses a and then b through one cache.
func FuzzInstantCache(f *testing.F) {
	for i, s := range cacheCases {
		f.Add(s, cacheCases[(i+1)%len(cacheCases)])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		c := new(instantCache)
		for _, s := range []string{a, b, a} {
			checkParse(t, "the local zone", s, c.parse)
		}
	})
}
