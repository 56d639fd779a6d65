import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Diagnostic } from "../lib/bindings/Diagnostic";
import type { Field } from "../lib/bindings/Field";
import type { FieldValue } from "../lib/bindings/FieldValue";
import RecordField from "./RecordField.svelte";

const sub = (f: Partial<Field> & Pick<Field, "name" | "label" | "type">): Field => ({
  required: true,
  origin: "declared",
  uses: 1,
  ...f,
});
const COMPANY = sub({
  name: "company",
  label: "Company",
  type: "group",
  fields: [
    sub({ name: "name", label: "Name", type: "text", example: "Acme" }),
    sub({ name: "employees", label: "Employees", type: "number", min: 1 }),
    sub({ name: "eu", label: "In the EU", type: "bool", required: false }),
  ],
});

afterEach(cleanup);

function setup(value: FieldValue | undefined, diagnostics: Diagnostic[] = []) {
  const onvalue = vi.fn<(v: FieldValue) => void>();
  const onfocuspath = vi.fn<(p: string | null) => void>();
  render(RecordField, {
    props: {
      field: COMPANY,
      name: "company",
      path: "company",
      label: "Company",
      value,
      diagnostics,
      onvalue,
      onfocuspath,
    },
  });
  return { onvalue, onfocuspath };
}

describe("RecordField", () => {
  it("is a sub-form under the record's name, one labelled input per sub-field", () => {
    setup({ name: "Acme", employees: 12 });
    expect(screen.getByRole("group", { name: "Company" })).toBeTruthy();
    const name = screen.getByLabelText(/^Name/) as HTMLInputElement;
    expect(name.id).toBe("field-company.name");
    expect(name.value).toBe("Acme");
    expect((screen.getByLabelText(/^Employees/) as HTMLInputElement).type).toBe("number");
  });

  it("sends the whole record up when a sub-field changes, numbers as numbers", async () => {
    const { onvalue, onfocuspath } = setup({ name: "Acme" });
    await fireEvent.input(screen.getByLabelText(/^Employees/), { target: { value: "12" } });
    expect(onvalue).toHaveBeenLastCalledWith({ name: "Acme", employees: 12 });
    await fireEvent.click(screen.getByLabelText(/^In the EU/));
    expect(onvalue).toHaveBeenLastCalledWith({ name: "Acme", eu: true });
    await fireEvent.focus(screen.getByLabelText(/^Name/));
    expect(onfocuspath).toHaveBeenLastCalledWith("company.name");
  });

  it("shows a sub-field's problems beside it", () => {
    setup({ name: "Acme", employees: 0 }, [
      {
        severity: "error",
        code: "invalid-value",
        message: "Company: employees must be at least 1",
        field: "company",
        field_path: "company.employees",
      },
    ]);
    const employees = screen.getByLabelText(/^Employees/);
    expect(employees.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Company: employees must be at least 1")).toBeTruthy();
  });
});
