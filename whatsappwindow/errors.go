package whatsappwindow

import "errors"

// Errors returned by this package. They can be tested with [errors.Is]; the
// returned errors wrap them with the detail (the offending value).
var (
	// ErrInvalidConfig reports a [Config] that [New] refuses: a negative
	// duration, or a closing-soon threshold that is zero, duplicated or
	// longer than the window.
	ErrInvalidConfig = errors.New("whatsappwindow: invalid config")

	// ErrNoTimestamp reports an [Observation] without an instant.
	ErrNoTimestamp = errors.New("whatsappwindow: observation has no timestamp")

	// ErrUnknownKind reports an [Observation] whose [Kind] is not one of the
	// constants of this package.
	ErrUnknownKind = errors.New("whatsappwindow: unknown observation kind")

	// ErrNoKey reports an [Observation] without a business number or user.
	ErrNoKey = errors.New("whatsappwindow: observation has no business number or user")

	// ErrKeyMismatch reports an [Observation] for another (business, user)
	// pair than the [Window] it is applied to.
	ErrKeyMismatch = errors.New("whatsappwindow: observation belongs to another window")

	// ErrTemplateRequired reports that a free-form (service) message cannot
	// be sent because the customer service window is closed.
	ErrTemplateRequired = errors.New("whatsappwindow: outside the customer service window a template is required")

	// ErrUnknownCategory reports a pricing category this package does not know.
	ErrUnknownCategory = errors.New("whatsappwindow: unknown pricing category")

	// ErrNoPricing reports an instant before the first pricing model in the
	// table (conversation-based pricing started on 2022-02-01).
	ErrNoPricing = errors.New("whatsappwindow: no pricing model for that date")
)
