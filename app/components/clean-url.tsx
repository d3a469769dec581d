/**
 * Clean addresses (issue #11, defect 6). Two things Remix leaves in the
 * address bar that mean nothing to a person: the `?index` that posts to an
 * index route carry, and every empty field of a GET filter form.
 */
import { Form, useLocation, useSubmit, type FormProps } from "@remix-run/react";
import { useEffect } from "react";

/** The search string without `index` (null when there is none to drop). */
export function searchWithoutIndex(search: string): string | null {
  const params = new URLSearchParams(search);
  if (!params.has("index")) return null;
  params.delete("index");
  const rest = params.toString();
  return rest ? `?${rest}` : "";
}

/**
 * After a form post to an index route the address is `…?index`: replace it
 * in place (no navigation, so the action's result stays on the page and no
 * loader runs again). The router keeps its own copy, which still routes the
 * next post to the index route.
 */
export function useNoIndexInAddress() {
  const location = useLocation();
  useEffect(() => {
    const clean = searchWithoutIndex(window.location.search);
    if (clean === null) return;
    window.history.replaceState(window.history.state, "", `${window.location.pathname}${clean}${window.location.hash}`);
  }, [location]);
}

/** A GET form's fields without the empty ones (the submitter's name/value included, as a browser would). */
export function filledParams(form: HTMLFormElement, submitter?: HTMLElement | null): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form, submitter ?? null)) {
    if (typeof value === "string" && value !== "") params.append(name, value);
  }
  return params;
}

/**
 * A GET filter form whose URL carries only the fields that are filled in.
 * Without JavaScript the browser sends them all, which the loaders read as
 * "no filter" all the same.
 */
export function FilterForm({ onSubmit, replace, ...props }: Omit<FormProps, "method">) {
  const submit = useSubmit();
  return (
    <Form
      {...props}
      method="get"
      onSubmit={(event) => {
        onSubmit?.(event);
        if (event.defaultPrevented) return;
        event.preventDefault();
        const submitter = (event.nativeEvent as SubmitEvent).submitter;
        submit(filledParams(event.currentTarget, submitter), { method: "get", action: props.action, replace });
      }}
    />
  );
}
