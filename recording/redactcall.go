package recording

// RedactedCall returns a copy of call as a document or a journal would hold
// it: the exact secrets given and every pattern of Redacted replaced. It is
// for showing a call outside a document, in a terminal or a log that may be
// kept (a CI log); call itself is left as it is.
func RedactedCall(call Call, secrets ...string) (Call, error) {
	return NewRedactor(anonymous(secrets)...).Call(nil, call)
}
