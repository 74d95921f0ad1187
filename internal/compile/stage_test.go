package compile

import (
	"strings"
	"testing"
)

func TestCheckStageRegion(t *testing.T) {
	for _, tc := range []struct {
		stage string
		ok    bool
	}{
		{"dev", true}, {"Prod-2", true}, {"2024", true}, {"-x", true},
		{"", false}, {"a b/../c", false}, {"dev\nx", false}, {"Prod_EU", true}, {"a.b", false},
		{strings.Repeat("a", 128), true}, {strings.Repeat("a", 129), false},
	} {
		if got := CheckStage(tc.stage) == nil; got != tc.ok {
			t.Errorf("CheckStage(%q) ok = %v, want %v", tc.stage, got, tc.ok)
		}
	}
	for _, tc := range []struct {
		region string
		ok     bool
	}{
		{"us-east-1", true}, {"cn-north-1", true}, {"us-gov-west-1", true}, {"eu-isoe-west-1", true},
		{"us-isob-east-1", true}, {"ap-southeast-5", true},
		{"", false}, {"us-east", false}, {"US-EAST-1", false}, {"us-east-1\n", false}, {"us_east_1", false}, {"local", false},
	} {
		if got := CheckRegion(tc.region) == nil; got != tc.ok {
			t.Errorf("CheckRegion(%q) ok = %v, want %v", tc.region, got, tc.ok)
		}
	}
}
