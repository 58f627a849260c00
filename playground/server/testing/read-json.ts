/** The JSON body of a response, typed loosely: each test states what it expects of it. */
// biome-ignore lint/suspicious/noExplicitAny: assertions check the shape
export const readJson = (response: Response): Promise<any> => response.json();
