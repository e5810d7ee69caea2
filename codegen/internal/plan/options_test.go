package plan

import (
	"testing"
	"time"
)

func TestOptionsCheck(t *testing.T) {
	good := Options{Name: "replay_1.x", GoModule: "example.com/replay", GoPackage: "replay", GradiorecVersion: "v1.2.3-rc.1",
		GradiorecReplace: "/src/gradiorec", FixtureDir: "testdata/fixtures", Think: Think{Fixed: true, Pause: time.Second}}
	if err := good.check(); err != nil {
		t.Errorf("check(%+v) = %v", good, err)
	}
	for _, o := range []Options{
		{Name: "-rf"}, {Name: "a/b"}, {Name: ".hidden"},
		{GoModule: "example.com//replay"}, {GoModule: "a b"},
		{GoPackage: "_"}, {GoPackage: "1x"},
		{GradiorecVersion: "1.2.3"},
		{GradiorecReplace: "a\nb"},
		{Think: Think{Fixed: true, Pause: -time.Second}},
		{FixtureDir: "../up"}, {FixtureDir: "/abs"},
	} {
		if err := o.check(); err == nil {
			t.Errorf("check(%+v) accepts it", o)
		}
	}
}

func TestBaseName(t *testing.T) {
	if got := (Options{}).BaseName(); got != "replay" {
		t.Errorf("BaseName of no name = %q", got)
	}
	if got := (Options{Name: "x"}).BaseName(); got != "x" {
		t.Errorf("BaseName = %q", got)
	}
}
