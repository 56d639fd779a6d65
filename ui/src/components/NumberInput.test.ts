import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Field } from "../lib/bindings/Field";
import type { FieldValue } from "../lib/bindings/FieldValue";
import NumberInput from "./NumberInput.svelte";

const NOTICE_DAYS: Field = {
  name: "notice_days",
  label: "Notice before a new sub-processor",
  type: "number",
  required: true,
  min: 0,
  max: 365,
  unit: "days",
  origin: "declared",
  uses: 1,
};

afterEach(cleanup);

function setup(value?: FieldValue) {
  const onvalue = vi.fn<(v: FieldValue) => void>();
  render(NumberInput, {
    props: {
      field: NOTICE_DAYS,
      id: "field-notice_days",
      value,
      dataField: "notice_days",
      onvalue,
    },
  });
  const input = document.getElementById("field-notice_days") as HTMLInputElement;
  return { onvalue, input };
}

describe("NumberInput", () => {
  it("is a numeric input with the field's range and its unit after it", () => {
    const { input } = setup(30);
    expect(input.type).toBe("number");
    expect(input.inputMode).toBe("decimal");
    expect(input.min).toBe("0");
    expect(input.max).toBe("365");
    expect(input.step).toBe("1");
    expect(input.value).toBe("30");
    expect(screen.getByText("days")).toBeTruthy();
    expect(input.getAttribute("aria-describedby")).toContain("field-notice_days-unit");
  });

  it("stores numbers as numbers, not text", async () => {
    const { onvalue, input } = setup(30);
    await fireEvent.input(input, { target: { value: "45" } });
    expect(onvalue).toHaveBeenLastCalledWith(45);
    expect(typeof onvalue.mock.lastCall?.[0]).toBe("number");
    await fireEvent.input(input, { target: { value: "2.5" } });
    expect(onvalue).toHaveBeenLastCalledWith(2.5);
  });

  it("stores nothing for an emptied input", async () => {
    const { onvalue, input } = setup("thirty");
    await fireEvent.input(input, { target: { value: "" } });
    expect(onvalue).toHaveBeenLastCalledWith("");
  });
});
