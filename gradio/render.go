package gradio

import (
	"fmt"
	"strings"
	"unicode"
)

// String renders the public endpoints the way gradio_client's
// Client.view_api() prints them (gradio_client 2.x), so that the text can be
// compared with the Python client's. Undocumented endpoints are left out, as
// the Python client does not know them; they are in Endpoints.
func (a *API) String() string {
	var b strings.Builder
	b.WriteString("Client.predict() Usage Info\n---------------------------\n")
	n := 0
	for i := range a.Endpoints {
		if a.Endpoints[i].Visibility == VisibilityPublic {
			n++
		}
	}
	fmt.Fprintf(&b, "Named API endpoints: %d\n", n)
	for i := range a.Endpoints {
		if e := &a.Endpoints[i]; e.Visibility == VisibilityPublic {
			e.render(&b)
		}
	}
	if n == 0 {
		// view_api(all_endpoints=None) lists the (always empty) unnamed
		// endpoints when there are no named ones.
		b.WriteString("\nUnnamed API endpoints: 0\n")
	}
	return b.String()
}

// render writes one endpoint in view_api's format (_render_endpoints_info).
func (e *EndpointInfo) render(b *strings.Builder) {
	names := make([]string, len(e.Parameters))
	for i, p := range e.Parameters {
		names[i] = sanitizeName(p.displayName())
	}
	params := strings.Join(names, ", ")
	if params != "" {
		params += ", "
	}
	rets := make([]string, len(e.Returns))
	for i, r := range e.Returns {
		rets[i] = sanitizeName(r.Label)
	}
	returns := strings.Join(rets, ", ")
	if len(rets) > 1 {
		returns = "(" + returns + ")"
	}
	fmt.Fprintf(b, "\n - predict(%sapi_name=\"%s\") -> %s\n", params, e.APIName, returns)
	if e.OAuthToken != "" {
		fmt.Fprintf(b, "    Acts on your behalf: this endpoint takes your Hugging Face token (%s). Pass it with Client(..., oauth_token=...) to grant it.\n", e.OAuthToken)
	}
	b.WriteString("    Parameters:\n")
	if len(e.Parameters) == 0 {
		b.WriteString("     - None\n")
	}
	for _, p := range e.Parameters {
		desc := ""
		if p.Description != "" {
			desc = " (" + p.Description + ")"
		}
		typ := p.PythonType
		info := "(required)"
		if p.HasDefault {
			info = "(not required, defaults to:   " + pyDefault(p.defaultRaw, p.Default) + ")"
			if p.Default == nil {
				typ += " | None"
			}
		}
		fmt.Fprintf(b, "     - [%s] %s: %s %s %s \n", p.Component, sanitizeName(p.displayName()), typ, info, desc)
	}
	b.WriteString("    Returns:\n")
	if len(e.Returns) == 0 {
		b.WriteString("     - None\n")
	}
	for _, r := range e.Returns {
		desc := ""
		if r.Description != "" {
			desc = " (" + r.Description + ")"
		}
		fmt.Fprintf(b, "     - [%s] %s: %s%s \n", r.Component, sanitizeName(r.Label), r.PythonType, desc)
	}
}

// displayName is the parameter's name, or its label when it has none.
func (p *Parameter) displayName() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Label
}

// sanitizeName is gradio_client's utils.sanitize_parameter_names: keep
// letters, digits, spaces and underscores, spaces become underscores,
// lowercase.
func sanitizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ':
			b.WriteByte('_')
		case r == '_' || isAlnum(r):
			b.WriteRune(r)
		}
	}
	return strings.ToLower(b.String())
}

// isAlnum approximates Python's str.isalnum.
func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }
