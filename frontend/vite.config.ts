import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// The Go build embeds dist/, so the repository keeps dist/.gitkeep; Vite
// empties the folder before a build, and this writes the file again.
function keepGitkeep(): Plugin {
  return {
    name: 'keep-gitkeep',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '.gitkeep', source: '' });
    },
  };
}

export default defineConfig({
  base: './',
  // svelteTesting only acts under Vitest: Svelte's browser build, cleanup after each test.
  plugins: [svelte(), svelteTesting(), keepGitkeep()],
  build: { outDir: 'dist', emptyOutDir: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
});
