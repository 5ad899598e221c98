import { isJsonObject } from "./json-object.js";

/**
 * Turns an error response body into a readable sentence and a code. Servers
 * answer in many shapes (`{"detail":{code,message}}`, `{"detail":"text"}`,
 * validation lists, other JSON, HTML pages, plain text, nothing); every one of
 * them must read as words, never as `[object Object]`.
 */
export interface ErrorDetail {
  message: string;
  code: string | undefined;
}

const MAX_MESSAGE_CHARS = 500;

export function describeErrorBody(status: number, body: unknown, text: string): ErrorDetail {
  if (isJsonObject(body)) return describeJson(body);
  if (text.trim() === "") return { message: `empty response body (${statusText(status)})`, code: undefined };
  if (/^\s*</.test(text)) return { message: describeHtml(text, status), code: undefined };
  return { message: clip(text.trim()), code: undefined };
}

function describeJson(body: Record<string, unknown>): ErrorDetail {
  const detail = body["detail"];
  if (typeof detail === "string") return { message: clip(detail), code: undefined };
  if (isJsonObject(detail)) {
    const code = typeof detail["code"] === "string" ? detail["code"] : undefined;
    const message = typeof detail["message"] === "string" ? detail["message"] : undefined;
    if (message !== undefined && message !== "") return { message: clip(message), code };
    if (code !== undefined) return { message: code, code };
    return { message: clip(JSON.stringify(detail)), code: undefined };
  }
  if (Array.isArray(detail)) return { message: clip(describeValidationList(detail)), code: undefined };
  for (const key of ["message", "error", "title"]) {
    const value = body[key];
    if (typeof value === "string" && value !== "") {
      const code = typeof body["code"] === "string" ? body["code"] : undefined;
      return { message: clip(value), code };
    }
  }
  return { message: clip(JSON.stringify(body)), code: undefined };
}

/** FastAPI-style `[{loc: [...], msg: "..."}]` → `body.message: field required; …`. */
function describeValidationList(items: unknown[]): string {
  const parts = items.map((item) => {
    if (!isJsonObject(item)) return JSON.stringify(item);
    const where = Array.isArray(item["loc"]) ? item["loc"].join(".") : undefined;
    const what = typeof item["msg"] === "string" ? item["msg"] : JSON.stringify(item);
    return where ? `${where}: ${what}` : what;
  });
  return parts.length > 0 ? parts.join("; ") : "request validation failed";
}

function describeHtml(html: string, status: number): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
  const heading = /<h1[^>]*>([^<]*)<\/h1>/i.exec(html)?.[1]?.trim();
  const label = title || heading;
  return label ? `HTML error page: ${clip(label)}` : `HTML error page (${statusText(status)})`;
}

function statusText(status: number): string {
  return `HTTP ${status}`;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > MAX_MESSAGE_CHARS ? `${oneLine.slice(0, MAX_MESSAGE_CHARS)}…` : oneLine;
}
