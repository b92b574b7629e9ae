package webhook

import (
	"encoding/json"
	"errors"

	ww "github.com/slakit/slakit/whatsappwindow"
)

// DecodeSendError decodes the body of a send the Cloud API refused at once
// (an HTTP 4xx answer to POST /messages, shaped {"error": {...}}). With
// [APIError.Reengagement] the host tells a 131047 refusal, which it reports
// to the tracker as a [ww.Rejection] at the instant of the send attempt.
// A body without an error object returns an error wrapping [ErrMalformed].
func DecodeSendError(body []byte) (APIError, error) {
	var resp struct {
		Error *struct {
			wireError
			FBTraceID string `json:"fbtrace_id"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		path, cause := describe(err)
		return APIError{}, &DecodeError{Path: path, Err: cause}
	}
	if resp.Error == nil {
		return APIError{}, &DecodeError{Path: "error", Err: errMissing}
	}
	e := resp.Error.apiError()
	e.FBTraceID = resp.Error.FBTraceID
	if e.Code == 0 {
		return e, &DecodeError{Path: "error.code", Err: errors.New("missing or not a number")}
	}
	return e, nil
}

// Reengagement reports whether the error is 131047: the customer service
// window is closed and only a template can be sent.
func (e APIError) Reengagement() bool { return e.Code == ww.ErrorCodeReengagement }
