package repo

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRoot(t *testing.T) {
	root := Root()
	if _, err := os.Stat(filepath.Join(root, Policy)); err != nil {
		t.Fatalf("Root() = %q, which holds no %s: %v", root, Policy, err)
	}
	t.Chdir(t.TempDir())
	if got := Root(); got != "." {
		t.Errorf("Root() outside the repository = %q, want %q", got, ".")
	}
}
