import { Picker } from '../fields/Picker';
import { TextField } from '../fields/TextField';
import { FIELD_LABELS as L, SECTION_LABELS } from '../state/labels';
import { countryOptions } from '../state/options';
import { Section } from './Section';

const S = 'registration_address';

export function RegistrationAddress() {
  return (
    <Section path={S} legend={SECTION_LABELS[S]}>
      <TextField path={`${S}.registration_address_line1`} label={L.registration_address_line1!} required wide autoComplete="off" />
      <TextField path={`${S}.registration_address_city`} label={L.registration_address_city!} required />
      <TextField path={`${S}.registration_address_state`} label={L.registration_address_state!} />
      <TextField path={`${S}.registration_address_postcode`} label={L.registration_address_postcode!} />
      <Picker path={`${S}.registration_address_country_code`} label={L.registration_address_country_code!} options={countryOptions.value} required />
    </Section>
  );
}
