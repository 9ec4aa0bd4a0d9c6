import { Picker } from '../fields/Picker';
import { TextField } from '../fields/TextField';
import { FIELD_LABELS as L, SECTION_LABELS } from '../state/labels';
import { countryOptions } from '../state/options';
import { Section } from './Section';

export function ResidentialAddress({ base }: { base: string }) {
  const S = `${base}.residential_address`;
  return (
    <Section path={S} legend={SECTION_LABELS.residential_address} level="sub" intro="Optional; when given, line 1, city and country are required.">
      <TextField path={`${S}.residential_address_line1`} label={L.residential_address_line1!} required wide />
      <TextField path={`${S}.residential_address_city`} label={L.residential_address_city!} required />
      <TextField path={`${S}.residential_address_state`} label={L.residential_address_state!} />
      <TextField path={`${S}.residential_address_postcode`} label={L.residential_address_postcode!} />
      <Picker path={`${S}.residential_address_country_code`} label={L.residential_address_country_code!} options={countryOptions.value} required />
    </Section>
  );
}
