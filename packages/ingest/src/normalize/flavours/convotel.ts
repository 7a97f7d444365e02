// Our own `@convotel/instrumentation`: its keys are the `convotel.*` names of @convotel/semconv. Pure.
import { ATTR_CONVOTEL_SPAN_KIND } from '@convotel/semconv';
import type { FlavourSpec } from './flavour-spec.js';

export const convotel = {
  name: 'convotel',
  scopePrefixes: ['@convotel/'],
  markerKeys: [ATTR_CONVOTEL_SPAN_KIND],
} as const satisfies FlavourSpec;
