import { TextField } from '../fields/TextField';
import { FIELD_LABELS as L, SECTION_LABELS } from '../state/labels';
import { Section } from './Section';

const S = 'primary_contact';

export function PrimaryContact() {
  return (
    <Section path={S} legend={SECTION_LABELS[S]} intro="Optional section.">
      <TextField path={`${S}.contact_phone`} label={L.contact_phone!} type="tel" inputMode="tel" hint="E.164, e.g. +8613800138000 (no spaces)" />
      <TextField path={`${S}.contact_email`} label={L.contact_email!} type="email" inputMode="email" hint="e.g. service@example.com" />
    </Section>
  );
}
