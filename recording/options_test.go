package recording

import "testing"

func TestOptions(t *testing.T) {
	o := newOptions([]Option{nil, Redact("a", ""), Redact("b"), MaxOutputSize(10)})
	if len(o.secrets) != 3 || o.maxOutputSize != 10 {
		t.Errorf("options = %+v", o)
	}
	for _, tc := range []struct {
		limit int64
		role  string
		size  int64
		want  bool
	}{
		{0, RoleOutput, 1 << 40, true},
		{-5, RoleOutput, 1 << 40, true},
		{10, RoleOutput, 10, true},
		{10, RoleOutput, 11, false},
		{10, RoleInput, 11, true},
	} {
		if got := newOptions([]Option{MaxOutputSize(tc.limit)}).stores(tc.role, tc.size); got != tc.want {
			t.Errorf("MaxOutputSize(%d).stores(%s, %d) = %v", tc.limit, tc.role, tc.size, got)
		}
	}
}
