// A form whose fields the browser leaves unchecked (ours check them), laid out as a stack.
import type { ComponentChildren, JSX, Ref } from "preact";

export interface FormProps {
  formRef: Ref<HTMLFormElement>;
  onSubmit: (event: Event) => Promise<void>;
  children: ComponentChildren;
}

export function Form({ formRef, onSubmit, children }: FormProps): JSX.Element {
  return (
    <form ref={formRef} class="stack" onSubmit={(event) => void onSubmit(event)} noValidate>
      {children}
    </form>
  );
}
