import type { paths, components } from "./schema.js";

type Method = "get" | "post" | "put" | "patch" | "delete";
/** Paths that serve method `M`. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends { [K in M]: infer O } ? (O extends undefined | never ? never : P) : never;
}[keyof paths];
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M & keyof paths[P]]>;

type Params<O> = O extends { parameters: infer P } ? P : {};
type PathParams<O> = Params<O> extends { path?: infer X } ? X : never;
type QueryParams<O> = Params<O> extends { query?: infer X } ? X : never;
type RequestBody<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? B : O extends { requestBody?: { content: infer C } } ? C[keyof C] : never;

type JsonOf<R> = R extends { content: { "application/json": infer T } } ? T : R extends { content: { [k: string]: infer T } } ? T : undefined;
type Responses<O> = O extends { responses: infer R } ? R : never;
type Ok = 200 | 201 | 202 | 204;
/** The JSON of an operation's success answer(s). */
export type SuccessOf<O> = { [S in keyof Responses<O>]: S extends Ok ? JsonOf<Responses<O>[S]> : never }[keyof Responses<O>];

export type Problem = components["schemas"]["Problem"];

export type Init<O> = ([NonNullable<PathParams<O>>] extends [never] ? { params?: undefined } : { params: NonNullable<PathParams<O>> }) & {
  query?: QueryParams<O>;
  body?: RequestBody<O>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

export type Answer<O> =
  | { data: SuccessOf<O>; error: undefined; status: number; response: Response }
  | { data: undefined; error: Problem; status: number; response: Response };

type Call<M extends Method> = <P extends PathsWith<M>>(path: P, init?: Init<Operation<P, M>>) => Promise<Answer<Operation<P, M>>>;

export interface Client {
  GET: Call<"get">;
  POST: Call<"post">;
  PUT: Call<"put">;
  PATCH: Call<"patch">;
  DELETE: Call<"delete">;
  /** The highest position a write answered; sent as `min_position` on later reads that take it. */
  readonly minPosition: string | null;
  /** Count a position seen elsewhere (a feed frame) as written. */
  observe(position: string | null | undefined): void;
  readonly token: string | null;
  setToken(token: string | null): void;
  logIn(login: string, password: string): Promise<Answer<Operation<"/api/v1/auth/login", "post">>>;
}

export interface ClientOptions {
  /** Where chatd listens, e.g. `https://api.shop.example`. */
  baseUrl: string;
  token?: string | null;
  fetch?: typeof globalThis.fetch;
  /** Send `min_position` after writes (default true). */
  readYourWrites?: boolean;
}

export function createClient(options: ClientOptions): Client;
