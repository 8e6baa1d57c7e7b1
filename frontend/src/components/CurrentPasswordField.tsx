// The password the person already has, to sign in or to confirm a change.
import type { ComponentChildren, JSX } from "preact";
import type { FieldBinding } from "../form";
import { Field } from "./Field";

export interface CurrentPasswordFieldProps extends FieldBinding {
  label: string;
  hint?: ComponentChildren;
  optional?: boolean;
}

export function CurrentPasswordField(props: CurrentPasswordFieldProps): JSX.Element {
  return <Field type="password" revealable autoComplete="current-password" {...props} />;
}
