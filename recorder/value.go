package recorder

import (
	"bytes"
	"encoding/json"
)

// decodeValue decodes JSON into plain Go values, keeping numbers as
// json.Number so that they re-encode exactly as the server sent them.
func decodeValue(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// encodeValue encodes a value decoded by decodeValue (or built from such
// values) without HTML escaping, as compact JSON.
func encodeValue(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only values that did not come from JSON can fail; record null.
		return json.RawMessage("null")
	}
	return json.RawMessage(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// rawOrNull returns raw, or the JSON null for an absent value.
func rawOrNull(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage("null")
	}
	return raw
}
