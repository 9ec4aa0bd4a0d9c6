import { render } from 'preact';
import { App } from './app/App';
import { startApp } from './state/startup';
import './styles/app.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
void startApp();
