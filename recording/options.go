package recording

// Option configures Save and CreateJournal.
type Option func(*options)

// options collects what the options set.
type options struct {
	secrets       []Secret
	redactor      *Redactor // nil: a new one
	maxOutputSize int64     // 0: no limit
}

// redactor returns the redactor the options choose, with their secrets.
func (o options) newRedactor() *redactor {
	rd := &redactor{}
	if o.redactor != nil {
		rd = o.redactor.rd
	}
	rd.add(o.secrets...)
	return rd
}

func newOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// Redact names secret values (a login password, a token the recorder used):
// before anything reaches disk, every occurrence of each, in any string of
// the document or journal (inputs, outputs, logs, URLs, nested JSON), is
// replaced with Redacted, and fixture bytes that contain one are not stored.
// Empty strings are ignored. Default: only the built-in rules apply (see
// Redacted).
func Redact(secrets ...string) Option {
	return func(o *options) { o.secrets = append(o.secrets, anonymous(secrets)...) }
}

// RedactSecrets is Redact for secrets that may have names: a named one is
// written as its placeholder, "<redacted:NAME>", which generated code and
// replay fill in from the environment (see Secret).
func RedactSecrets(secrets ...Secret) Option {
	return func(o *options) { o.secrets = append(o.secrets, secrets...) }
}

// UseRedactor makes a journal or Save use r, and add to it the secrets it
// learns (the values of inputs named like secrets), so that whoever else
// holds r (a live view of the calls) redacts the same.
func UseRedactor(r *Redactor) Option {
	return func(o *options) { o.redactor = r }
}

// MaxOutputSize leaves out the bytes of output fixtures larger than n bytes:
// their File entry keeps size, hash and MIME type, with Stored false. Input
// fixtures are always stored, since replay needs them. Default (and n <= 0):
// no limit.
func MaxOutputSize(n int64) Option {
	return func(o *options) { o.maxOutputSize = max(n, 0) }
}

// stores reports whether an option set keeps the bytes of a fixture of this
// role and size.
func (o options) stores(role string, size int64) bool {
	return role != RoleOutput || o.maxOutputSize == 0 || size <= o.maxOutputSize
}
