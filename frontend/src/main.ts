import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { createApi } from './lib/api';
import { createController } from './lib/controller';

const api = createApi();

mount(App, {
  target: document.getElementById('app')!,
  props: { ctl: createController(api), session: api.session },
});
