import '@fontsource-variable/inter/wght.css';
import '@fontsource-variable/jetbrains-mono/wght.css';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/timeline.css';
import './styles/markdown.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import { AppErrorBoundary } from './app/app-error-boundary.js';
import { baseUrlFromModule } from './app/app-route.js';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <AppErrorBoundary>
      <App environment={{ baseUrl: baseUrlFromModule(import.meta.url) }} />
    </AppErrorBoundary>
  </StrictMode>,
);
