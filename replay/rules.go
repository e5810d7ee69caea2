package replay

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gradiorec/gradiorec/recording"
)

// Match names how an output value is compared.
type Match string

// The matchers.
const (
	MatchExact   Match = "exact"   // equal JSON values (2 and 2.0 are equal); files by content hash
	MatchNumeric Match = "numeric" // numbers within Tolerance (absolute) or Relative (to the recorded value)
	MatchText    Match = "text"    // strings whose similarity is at least Similarity
	MatchImage   Match = "image"   // image files with the same size whose pixels differ by at most Tolerance on average
	MatchIgnore  Match = "ignore"  // not compared (a mask)
	// MatchFinal compares a stream's final output only: the number and
	// the contents of a generator's intermediate updates are not compared
	// (a sampled reply streamed in chunks). It applies to whole calls, so
	// a rule with it has no Path; the final output is compared by the
	// other rules. The recording's form of it is a mask at UpdatesPath.
	MatchFinal Match = "final"
)

// UpdatesPath is the Path of a mask (or of an ignore rule) that stands for a
// call's intermediate updates, their number and contents: MatchFinal.
const UpdatesPath = recording.UpdatesPath

// DefaultSimilarity is the similarity MatchText asks for when a rule sets
// none.
const DefaultSimilarity = 0.9

// Rule chooses the matcher for a part of some calls' outputs. Rules come from
// a rules file (LoadRules), from Options.Rules, and from the recording's
// masks, which are MatchIgnore rules. Where several rules cover a value, the
// one with the longest Path wins, and among those the last given.
type Rule struct {
	// Endpoint is the api name the rule applies to ("/predict"); empty:
	// every endpoint.
	Endpoint string `yaml:"endpoint,omitempty" json:"endpoint,omitempty"`
	// Call is a call id the rule applies to; 0: every call.
	Call int `yaml:"call,omitempty" json:"call,omitempty"`
	// Path is a JSON Pointer into the call's outputs ("/0" is the first
	// output, "/1/label" a key of the second); empty: all of them.
	Path string `yaml:"path,omitempty" json:"path,omitempty"`
	// Match is the matcher.
	Match Match `yaml:"match" json:"match"`
	// Tolerance is MatchNumeric's absolute tolerance, or MatchImage's mean
	// difference per pixel channel as a fraction of full scale (0.01 is
	// 1%).
	Tolerance float64 `yaml:"tolerance,omitempty" json:"tolerance,omitempty"`
	// Relative is MatchNumeric's tolerance relative to the recorded value.
	Relative float64 `yaml:"relative,omitempty" json:"relative,omitempty"`
	// Similarity is MatchText's threshold in [0, 1] (DefaultSimilarity
	// when 0).
	Similarity float64 `yaml:"similarity,omitempty" json:"similarity,omitempty"`
	// Reason is a note for people ("the model is sampled").
	Reason string `yaml:"reason,omitempty" json:"reason,omitempty"`
}

// applies reports whether the rule covers call c.
func (r Rule) applies(c *recording.Call, apiName string) bool {
	return (r.Endpoint == "" || r.Endpoint == apiName) && (r.Call == 0 || r.Call == c.ID)
}

// check validates a rule and fills its defaults.
func (r *Rule) check() error {
	if r.Path == UpdatesPath && r.Match == MatchIgnore {
		r.Path, r.Match = "", MatchFinal
	}
	switch r.Match {
	case MatchFinal:
		if r.Path != "" {
			return fmt.Errorf("match final applies to a call's whole stream: remove path %q (the final output is compared by the other rules)", r.Path)
		}
	case MatchExact, MatchIgnore, MatchImage:
	case MatchNumeric:
		if r.Tolerance < 0 || r.Relative < 0 {
			return errors.New("a numeric tolerance cannot be negative")
		}
	case MatchText:
		if r.Similarity == 0 {
			r.Similarity = DefaultSimilarity
		}
		if r.Similarity < 0 || r.Similarity > 1 {
			return fmt.Errorf("similarity %v is not between 0 and 1", r.Similarity)
		}
	case "":
		return fmt.Errorf("no match given (want one of %s)", matchNames)
	default:
		return fmt.Errorf("unknown match %q (want one of %s)", r.Match, matchNames)
	}
	if r.Path != "" && !strings.HasPrefix(r.Path, "/") {
		return fmt.Errorf("path %q is not a JSON Pointer: it must start with / (\"/0\" is the first output)", r.Path)
	}
	if r.Endpoint != "" && !strings.HasPrefix(r.Endpoint, "/") {
		r.Endpoint = "/" + r.Endpoint
	}
	return nil
}

const matchNames = "exact, numeric, text, image, ignore, final"

// rulesFile is the document LoadRules reads.
type rulesFile struct {
	Rules []Rule `yaml:"rules"`
}

// ParseRules reads a rules file (YAML or JSON):
//
//	rules:
//	  - endpoint: /predict
//	    path: /0/confidence
//	    match: numeric
//	    tolerance: 0.001
//	  - endpoint: /caption
//	    match: text
//	    similarity: 0.8
//	  - endpoint: /chat
//	    match: final
func ParseRules(data []byte) ([]Rule, error) {
	var f rulesFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	for i := range f.Rules {
		if err := f.Rules[i].check(); err != nil {
			return nil, fmt.Errorf("rule %d: %w", i+1, err)
		}
	}
	return f.Rules, nil
}

// LoadRules reads the rules file at path; see ParseRules.
func LoadRules(path string) ([]Rule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rules, err := ParseRules(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rules, nil
}

// maskRules turns the recording's masks into MatchIgnore rules, and a mask
// at UpdatesPath into a MatchFinal rule.
func maskRules(masks []recording.Mask) []Rule {
	rules := make([]Rule, 0, len(masks))
	for _, m := range masks {
		r := Rule{Endpoint: m.Endpoint, Call: m.Call, Path: m.Path, Match: MatchIgnore, Reason: m.Reason}
		if m.Path == UpdatesPath {
			r.Path, r.Match = "", MatchFinal
		}
		rules = append(rules, r)
	}
	return rules
}
